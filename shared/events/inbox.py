"""The idempotent consumer's inbox: one row per event id, written with the event's effect."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    Text,
    column,
    false,
    func,
    table,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import TableClause

from shared.database import new_id, utcnow
from shared.events.envelope import Event

INBOX_TABLE = "inbox_events"


def inbox_table(metadata: MetaData, name: str = INBOX_TABLE) -> Table:
    """Add the inbox to a service's metadata; columns follow the seed's USER_EVENT_LOGS."""
    return Table(
        name,
        metadata,
        Column("id", String(36), primary_key=True, default=new_id),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(255), nullable=False),
        Column("source", String(255), nullable=False),
        Column("payload", Text, nullable=False),
        Column("processed", Boolean, nullable=False, server_default=false()),
        Column("processed_at", DateTime(timezone=True)),
        Column("error", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def inbox(name: str = INBOX_TABLE) -> TableClause:
    """The inbox seen without a service's metadata."""
    return table(
        name,
        column("id", String),
        column("event_id", String),
        column("event_type", String),
        column("source", String),
        column("payload", Text),
        column("processed", Boolean),
        column("processed_at", DateTime(timezone=True)),
        column("error", Text),
        column("created_at", DateTime(timezone=True)),
    )


async def record_event(db: AsyncSession, event: Event, *, table_name: str = INBOX_TABLE) -> bool:
    """Mark ``event`` processed in the caller's transaction; False when it already was.

    A row left by a failed delivery (processed false) is taken over, so an event replayed
    from the dead-letter topic runs again. A concurrent duplicate waits on the row lock
    until this transaction ends, then finds it processed and gets False.
    """
    rows = inbox(table_name)
    new = insert(rows).values({**_row(event), "processed": True, "processed_at": utcnow()})
    upsert = new.on_conflict_do_update(
        index_elements=["event_id"],
        set_={"processed": True, "processed_at": new.excluded.processed_at, "error": None},
        where=rows.c.processed.is_(False),
    )
    return (await db.execute(upsert.returning(rows.c.id))).first() is not None


async def record_failure(
    db: AsyncSession, event: Event, error: str, *, table_name: str = INBOX_TABLE
) -> None:
    """Note that handling ``event`` failed for good, unless it was processed meanwhile."""
    rows = inbox(table_name)
    stmt = insert(rows).values({**_row(event), "processed": False, "error": error})
    stmt = stmt.on_conflict_do_update(
        index_elements=["event_id"],
        set_={"error": stmt.excluded.error},
        where=rows.c.processed.is_(False),
    )
    await db.execute(stmt)


def _row(event: Event) -> dict[str, object]:
    return {
        "id": new_id(),
        "event_id": event.id,
        "event_type": event.type,
        "source": event.source,
        "payload": event.to_json().decode(),
    }
