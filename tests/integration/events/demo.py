"""A tiny service for the event tests: a table of notes with an outbox and an inbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from sqlalchemy import Column, Row, String, Table, Text, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_metadata
from shared.events.envelope import Event
from shared.events.inbox import inbox_table
from shared.events.outbox import outbox_table

METADATA = new_metadata()
NOTES = Table(
    "notes",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("body", Text, nullable=False),
)
OUTBOX = outbox_table(METADATA)
INBOX = inbox_table(METADATA)

WAIT_SECONDS = 30.0


def note_created(source: str, note_id: str, body: str = "hello") -> Event:
    return Event(type="note.created", source=source, key=note_id, data={"body": body})


async def add_note(db: AsyncSession, note_id: str, body: str) -> None:
    await db.execute(insert(NOTES).values(id=note_id, body=body))


async def all_rows(sessions: async_sessionmaker[AsyncSession], table: Table) -> list[Row[Any]]:
    async with sessions() as db:
        return list((await db.execute(select(table).order_by(*table.primary_key))).all())


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait until ``check`` holds; fails the test after a generous bound, never asserts speed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def read_topic(servers: list[str], topic: str) -> list[ConsumerRecord]:
    """Every message on ``topic``, read without joining a consumer group."""
    return await asyncio.to_thread(_read_topic, servers, topic)


def _read_topic(servers: list[str], topic: str) -> list[ConsumerRecord]:
    consumer = KafkaConsumer(bootstrap_servers=servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        end = consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        deadline = time.monotonic() + WAIT_SECONDS
        while any(consumer.position(p) < end[p] for p in partitions):
            assert time.monotonic() < deadline, f"could not read {topic} to its end"
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()
