from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.envelope import Event
from shared.events.kafka import KafkaPublisher, PublishError
from shared.events.outbox import enqueue
from shared.events.relay import OutboxRelay
from shared.runtime.broker import EmbeddedBroker
from tests.fixtures.broker import restart_broker
from tests.integration.events.demo import OUTBOX, all_rows, note_created, read_topic


async def enqueue_all(sessions: async_sessionmaker[AsyncSession], events: list[Event]) -> None:
    async with sessions() as db:
        for event in events:
            await enqueue(db, event)
        await db.commit()


async def test_relay_publishes_to_the_source_topic_keyed_by_aggregate(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    kafka_servers: list[str],
    demo_topic: str,
) -> None:
    # given
    events = [note_created(demo_topic, "note-1", body) for body in ("a", "b", "c")]
    events.append(note_created(demo_topic, "note-2", "d"))
    await enqueue_all(demo_db, events)
    relay = OutboxRelay(demo_db, publisher)

    # when
    published = await relay.publish_pending()

    # then
    assert published == 4
    records = await read_topic(kafka_servers, demo_topic)
    by_key = {
        key: [Event.from_json(r.value).data["body"] for r in records if r.key == key]
        for key in (b"note-1", b"note-2")
    }
    assert by_key == {b"note-1": ["a", "b", "c"], b"note-2": ["d"]}
    assert sorted(r.value for r in records) == sorted(e.to_json() for e in events)
    assert [row.published_at is not None for row in await all_rows(demo_db, OUTBOX)] == [True] * 4
    assert await relay.publish_pending() == 0


async def test_events_wait_in_the_outbox_while_the_broker_is_down(
    demo_db: async_sessionmaker[AsyncSession],
    embedded_broker: EmbeddedBroker,
    kafka_servers: list[str],
    demo_topic: str,
) -> None:
    # given
    publisher = KafkaPublisher(kafka_servers, timeout_seconds=1.0)
    relay = OutboxRelay(demo_db, publisher)
    events = [note_created(demo_topic, "note-1", body) for body in ("a", "b")]
    await enqueue_all(demo_db, events)
    embedded_broker.stop()

    # when
    with pytest.raises(PublishError):
        await relay.publish_pending()

    # then
    rows = await all_rows(demo_db, OUTBOX)
    assert [(row.event_id, row.published_at, row.attempts) for row in rows] == [
        (events[0].id, None, 1),
        (events[1].id, None, 0),
    ]
    assert rows[0].last_error.startswith(f"could not publish to '{demo_topic}'")

    # when
    restart_broker(embedded_broker, [demo_topic])
    published = await relay.publish_pending()

    # then
    assert published == 2
    records = await read_topic(kafka_servers, demo_topic)
    assert [record.value for record in records] == [event.to_json() for event in events]
    assert [row.published_at is not None for row in await all_rows(demo_db, OUTBOX)] == [True] * 2
    await publisher.close()


async def test_concurrent_relays_never_publish_the_same_event_twice(
    demo_db: async_sessionmaker[AsyncSession],
    publisher: KafkaPublisher,
    kafka_servers: list[str],
    demo_topic: str,
) -> None:
    # given
    events = [note_created(demo_topic, f"note-{n}") for n in range(200)]
    await enqueue_all(demo_db, events)
    relays = [OutboxRelay(demo_db, publisher) for _ in range(2)]

    # when
    counts: list[int] = []
    while not counts or sum(counts[-2:]) > 0:
        counts += await asyncio.gather(*(relay.publish_pending(limit=25) for relay in relays))

    # then
    assert sum(counts) == 200
    records = await read_topic(kafka_servers, demo_topic)
    assert sorted(r.value for r in records) == sorted(e.to_json() for e in events)


async def test_published_rows_are_purged_after_the_retention(
    demo_db: async_sessionmaker[AsyncSession], publisher: KafkaPublisher, demo_topic: str
) -> None:
    # given
    await enqueue_all(demo_db, [note_created(demo_topic, "note-1", "old")])
    relay = OutboxRelay(demo_db, publisher, retention=timedelta(0))
    await relay.publish_pending()
    await enqueue_all(demo_db, [note_created(demo_topic, "note-2", "unpublished")])

    # when
    purged = await relay.purge_published()

    # then
    assert purged == 1
    rows = await all_rows(demo_db, OUTBOX)
    assert [(row.key, row.published_at) for row in rows] == [("note-2", None)]


async def test_rows_within_the_retention_are_kept(
    demo_db: async_sessionmaker[AsyncSession], publisher: KafkaPublisher, demo_topic: str
) -> None:
    # given
    await enqueue_all(demo_db, [note_created(demo_topic, "note-1", "recent")])
    relay = OutboxRelay(demo_db, publisher, retention=timedelta(hours=1))
    await relay.publish_pending()

    # when
    purged = await relay.purge_published()

    # then
    assert purged == 0
    assert [row.key for row in await all_rows(demo_db, OUTBOX)] == ["note-1"]
