from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.consumer import EventConsumer, Handler, Subscription
from shared.events.envelope import Event
from shared.events.kafka import KafkaPublisher, dead_letter_topic
from tests.integration.events.demo import (
    INBOX,
    NOTES,
    add_note,
    all_rows,
    eventually,
    note_created,
    read_topic,
)


async def create_note(db: AsyncSession, event: Event) -> None:
    await add_note(db, event.key, event.data["body"])


def demo_consumer(
    sessions: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    service: str,
    topic: str,
    handler: Handler = create_note,
) -> EventConsumer:
    subscription = Subscription(service, [topic], {"note.created": handler})
    return EventConsumer(
        subscription,
        sessions=sessions,
        servers=publisher.servers,
        publisher=publisher,
        max_attempts=3,
        backoff_seconds=0.01,
    )


async def test_duplicate_delivery_takes_effect_once(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    demo_consumer_service: str,
) -> None:
    # given
    calls: list[str] = []

    async def counting_create_note(db: AsyncSession, event: Event) -> None:
        calls.append(event.id)
        await create_note(db, event)

    consumer = demo_consumer(
        demo_db, publisher, demo_consumer_service, "notes", counting_create_note
    )
    event = note_created("notes", "note-1", "hello")

    # when
    await consumer.handle(event)
    await consumer.handle(event)

    # then
    assert calls == [event.id]
    assert [tuple(row) for row in await all_rows(demo_db, NOTES)] == [("note-1", "hello")]
    [inbox] = await all_rows(demo_db, INBOX)
    assert (inbox.event_id, inbox.event_type, inbox.source, inbox.processed, inbox.error) == (
        event.id,
        "note.created",
        "notes",
        True,
        None,
    )
    assert inbox.payload == event.to_json().decode()


async def test_event_that_keeps_failing_goes_to_the_dead_letter_topic(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    kafka_servers: list[str],
    demo_consumer_service: str,
) -> None:
    # given
    calls: list[str] = []

    async def failing_handler(db: AsyncSession, event: Event) -> None:
        calls.append(event.id)
        await create_note(db, event)
        raise RuntimeError("boom")

    consumer = demo_consumer(demo_db, publisher, demo_consumer_service, "notes", failing_handler)
    event = note_created("notes", "note-1")

    # when
    await consumer.handle(event)

    # then
    assert calls == [event.id] * 3
    [record] = await read_topic(kafka_servers, dead_letter_topic(demo_consumer_service))
    assert (record.key, record.value) == (b"note-1", event.to_json())
    assert record.headers == [
        ("error", b"RuntimeError: boom"),
        ("original-topic", b"notes"),
        ("attempts", b"3"),
    ]
    assert await all_rows(demo_db, NOTES) == []
    [inbox] = await all_rows(demo_db, INBOX)
    assert (inbox.event_id, inbox.processed, inbox.processed_at, inbox.error) == (
        event.id,
        False,
        None,
        "RuntimeError: boom",
    )
    assert consumer.dead_lettered == 1


async def test_event_waits_while_the_database_is_unreachable(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    kafka_servers: list[str],
    demo_consumer_service: str,
) -> None:
    # given
    async def unreachable_database(db: AsyncSession, event: Event) -> None:
        raise ConnectionRefusedError("connection refused")

    consumer = demo_consumer(
        demo_db, publisher, demo_consumer_service, "notes", unreachable_database
    )
    event = note_created("notes", "note-1")

    # when
    with pytest.raises(ConnectionRefusedError):
        await consumer.handle(event)

    # then
    assert await read_topic(kafka_servers, dead_letter_topic(demo_consumer_service)) == []
    assert await all_rows(demo_db, INBOX) == []
    assert consumer.dead_lettered == 0


async def test_dead_lettered_event_runs_again_when_replayed(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    demo_consumer_service: str,
) -> None:
    # given
    async def failing_handler(db: AsyncSession, event: Event) -> None:
        raise RuntimeError("boom")

    event = note_created("notes", "note-1", "hello")
    failing = demo_consumer(demo_db, publisher, demo_consumer_service, "notes", failing_handler)
    await failing.handle(event)
    fixed = demo_consumer(demo_db, publisher, demo_consumer_service, "notes")

    # when
    await fixed.handle(event)

    # then
    assert [tuple(row) for row in await all_rows(demo_db, NOTES)] == [("note-1", "hello")]
    [inbox] = await all_rows(demo_db, INBOX)
    assert (inbox.processed, inbox.error) == (True, None)


async def test_event_without_a_handler_is_skipped(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    demo_consumer_service: str,
) -> None:
    # given
    consumer = demo_consumer(demo_db, publisher, demo_consumer_service, "notes")
    event = Event(type="note.archived", source="notes", key="note-1", data={})

    # when
    await consumer.handle(event)

    # then
    assert await all_rows(demo_db, NOTES) == []
    assert await all_rows(demo_db, INBOX) == []


async def test_consumer_handles_published_events_and_parks_garbage(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    kafka_servers: list[str],
    demo_topic: str,
    demo_consumer_service: str,
) -> None:
    # given
    consumer = demo_consumer(demo_db, publisher, demo_consumer_service, demo_topic)
    first = note_created(demo_topic, "note-1", "one")
    second = note_created(demo_topic, "note-2", "two")
    await publisher.publish(demo_topic, first.key, first.to_json())
    await publisher.publish(demo_topic, "note-x", b"not an envelope")
    await publisher.publish(demo_topic, first.key, first.to_json())
    await publisher.publish(demo_topic, second.key, second.to_json())

    async def both_notes_exist() -> bool:
        async with demo_db() as db:
            return len((await db.execute(select(NOTES.c.id))).all()) == 2

    async def garbage_parked() -> bool:
        return consumer.dead_lettered == 1

    # when
    task = asyncio.create_task(consumer.run())
    await eventually(both_notes_exist)
    await eventually(garbage_parked)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    # then
    assert [tuple(row) for row in await all_rows(demo_db, NOTES)] == [
        ("note-1", "one"),
        ("note-2", "two"),
    ]
    assert sorted(row.event_id for row in await all_rows(demo_db, INBOX)) == sorted(
        [first.id, second.id]
    )
    [record] = await read_topic(kafka_servers, dead_letter_topic(demo_consumer_service))
    assert (record.key, record.value) == (b"note-x", b"not an envelope")
    assert [name for name, _ in record.headers] == ["error", "original-topic", "attempts"]
    assert dict(record.headers)["original-topic"] == demo_topic.encode()
    assert dict(record.headers)["attempts"] == b"0"
    assert consumer.running is False
    # Only this consumer's thread: services started by other tests keep theirs running.
    own_thread = f"kafka-consumer-{demo_consumer_service}"
    assert [t.name for t in threading.enumerate() if t.name == own_thread] == []
