from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.outbox import enqueue, enqueue_many
from tests.fixtures.graphql import count_statements
from tests.integration.events.demo import NOTES, OUTBOX, add_note, all_rows, note_created


async def test_rolled_back_state_change_leaves_no_event(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    event = note_created("notes", "note-1")

    # when
    async with demo_db() as db:
        await add_note(db, "note-1", "hello")
        await enqueue(db, event)
        await db.rollback()

    # then
    assert await all_rows(demo_db, NOTES) == []
    assert await all_rows(demo_db, OUTBOX) == []


async def test_committed_state_change_commits_its_event(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    event = note_created("notes", "note-1")

    # when
    async with demo_db() as db:
        await add_note(db, "note-1", "hello")
        await enqueue(db, event)
        await db.commit()

    # then
    assert [tuple(row) for row in await all_rows(demo_db, NOTES)] == [("note-1", "hello")]
    [row] = await all_rows(demo_db, OUTBOX)
    assert (row.event_id, row.topic, row.key, row.type) == (
        event.id,
        "notes",
        "note-1",
        "note.created",
    )
    assert row.payload == event.to_json().decode()
    assert (row.published_at, row.attempts, row.last_error) == (None, 0, None)


async def test_failing_state_change_rolls_back_its_event(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    async with demo_db() as db:
        await add_note(db, "note-1", "first")
        await db.commit()

    # when
    with pytest.raises(Exception, match="duplicate key"):
        async with demo_db() as db:
            await enqueue(db, note_created("notes", "note-1"))
            await add_note(db, "note-1", "again")
            await db.commit()

    # then
    assert [tuple(row) for row in await all_rows(demo_db, NOTES)] == [("note-1", "first")]
    assert await all_rows(demo_db, OUTBOX) == []


async def test_events_enqueued_together_keep_their_order_in_one_statement(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    events = [note_created("notes", f"note-{number}", f"body {number}") for number in range(3)]

    # when
    async with demo_db() as db:
        with count_statements(db.bind) as log:
            await enqueue_many(db, events)
        await db.commit()

    # then
    assert log.count == 1
    rows = await all_rows(demo_db, OUTBOX)
    assert [(row.event_id, row.key, row.type) for row in rows] == [
        (event.id, f"note-{number}", "note.created") for number, event in enumerate(events)
    ]
    assert [row.payload for row in rows] == [event.to_json().decode() for event in events]
    assert [(row.published_at, row.attempts) for row in rows] == [(None, 0)] * 3


async def test_enqueueing_no_events_sends_no_statement(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # when
    async with demo_db() as db:
        with count_statements(db.bind) as log:
            await enqueue_many(db, iter([]))
        await db.commit()

    # then
    assert log.count == 0
    assert await all_rows(demo_db, OUTBOX) == []


async def test_rolled_back_batch_leaves_none_of_its_events(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    events = [note_created("notes", f"note-{number}") for number in range(2)]

    # when
    async with demo_db() as db:
        await add_note(db, "note-0", "hello")
        await enqueue_many(db, events)
        await db.rollback()

    # then
    assert await all_rows(demo_db, NOTES) == []
    assert await all_rows(demo_db, OUTBOX) == []
