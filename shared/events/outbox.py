"""The transactional outbox: events written in the same transaction as the state they describe."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    column,
    func,
    insert,
    table,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from shared.events.envelope import Event

OUTBOX_TABLE = "outbox_events"

# The same table seen without a service's metadata, for enqueue and the relay.
OUTBOX = table(
    OUTBOX_TABLE,
    column("id", BigInteger),
    column("event_id", String),
    column("topic", String),
    column("key", String),
    column("type", String),
    column("payload", Text),
    column("created_at", DateTime(timezone=True)),
    column("published_at", DateTime(timezone=True)),
    column("attempts", Integer),
    column("last_error", Text),
)


def outbox_table(metadata: MetaData) -> Table:
    """Add ``outbox_events`` to a service's metadata, so its migrations create it."""
    return Table(
        OUTBOX_TABLE,
        metadata,
        # The identity orders events in the order they were written, even within one
        # transaction, where every row would get the same created_at.
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(255), nullable=False),
        Column("key", String(255), nullable=False),
        Column("type", String(255), nullable=False),
        # The envelope exactly as it goes on the wire.
        Column("payload", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Index("ix_outbox_events_unpublished", "id", postgresql_where=text("published_at IS NULL")),
    )


async def enqueue(db: AsyncSession, event: Event) -> None:
    """Add ``event`` to the outbox in the caller's transaction; the caller commits it."""
    await enqueue_many(db, [event])


async def enqueue_many(db: AsyncSession, events: Iterable[Event]) -> None:
    """Add ``events`` to the outbox in the caller's transaction, in the order given, with
    one executemany: a bulk write (an import) sends its events in one round trip, not one
    statement each."""
    rows = [
        {
            "event_id": event.id,
            "topic": event.topic,
            "key": event.key,
            "type": event.type,
            "payload": event.to_json().decode(),
        }
        for event in events
    ]
    if rows:
        await db.execute(insert(OUTBOX), rows)
