"""The outbox relay: publishes committed outbox rows to Kafka and marks them published."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Row, Select, delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.events.kafka import KafkaPublisher, PublishError
from shared.events.outbox import OUTBOX

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

log = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_BACKOFF_SECONDS = 5.0
DEFAULT_RETENTION = timedelta(hours=1)
PURGE_INTERVAL_SECONDS = 60.0


class OutboxRelay:
    """Moves a service's outbox to Kafka.

    A crash between publishing and marking publishes those events again on restart:
    consumers deduplicate by event id. Several relays on one database never publish a
    row twice, but only a single relay keeps one aggregate's events strictly in order.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        publisher: KafkaPublisher,
        *,
        poll_seconds: float = 0.2,
        retention: timedelta = DEFAULT_RETENTION,
    ) -> None:
        self.sessions = sessions
        self.publisher = publisher
        self.poll_seconds = poll_seconds
        self.retention = retention
        self.last_error: str | None = None
        self._purged_at = float("-inf")

    def __repr__(self) -> str:
        return f"OutboxRelay({self.publisher!r}, poll_seconds={self.poll_seconds!r})"

    async def publish_pending(self, limit: int = BATCH_SIZE) -> int:
        """Publish up to ``limit`` unpublished events, oldest first; returns how many.

        Rows are locked FOR UPDATE SKIP LOCKED, so concurrent relays never publish the
        same row. The batch stops at the first failure, so no event overtakes an earlier
        one; the rows published before it are still marked, then the PublishError is raised.
        """
        async with self.sessions() as db:
            rows = (await db.execute(_pending(limit))).all()
            published, error = await self._publish_in_order(rows)
            await _mark_published(db, published)
            if error is not None:
                await _note_failure(db, rows[len(published)].id, error)
            await db.commit()
        if error is not None:
            raise error
        return len(published)

    async def purge_published(self) -> int:
        """Delete rows published longer ago than ``retention``; returns how many.

        Published rows are kept a while to help debugging, not for ever: some events
        carry one-time secrets (a password reset token on its way to the mailer).
        """
        cutoff = utcnow() - self.retention
        async with self.sessions() as db:
            result = await db.execute(delete(OUTBOX).where(OUTBOX.c.published_at < cutoff))
            await db.commit()
        # A Core DELETE without RETURNING gives a CursorResult; SQLAlchemy types every
        # Session.execute() as Result and says to cast where the rowcount is needed.
        return int(cast("CursorResult[Any]", result).rowcount or 0)

    async def run(self) -> None:
        """Publish until cancelled, backing off while the broker or the database is down."""
        failures = 0
        while True:
            try:
                if time.monotonic() - self._purged_at > PURGE_INTERVAL_SECONDS:
                    await self.purge_published()
                    self._purged_at = time.monotonic()
                count = await self.publish_pending()
            except Exception as exc:
                failures += 1
                delay = min(self.poll_seconds * 2**failures, MAX_BACKOFF_SECONDS)
                self.last_error = f"{type(exc).__name__}: {exc}"
                # An outage is expected and needs no traceback; anything else does.
                outage = isinstance(exc, PublishError | SQLAlchemyError | OSError)
                log.warning(
                    "outbox relay: %s; retrying in %.1f s",
                    self.last_error,
                    delay,
                    exc_info=not outage,
                )
                await asyncio.sleep(delay)
                continue
            failures = 0
            self.last_error = None
            if count < BATCH_SIZE:
                await asyncio.sleep(self.poll_seconds)

    async def _publish_in_order(
        self, rows: Sequence[Row[Any]]
    ) -> tuple[list[int], PublishError | None]:
        """The ids published, in order, and the error that stopped the batch, if any."""
        published: list[int] = []
        for row in rows:
            try:
                # The aggregate id as message key keeps one aggregate's events in one partition.
                await self.publisher.publish(row.topic, row.key, row.payload.encode())
            except PublishError as exc:
                return published, exc
            published.append(row.id)
        return published, None


def _pending(limit: int) -> Select[Any]:
    return (
        select(OUTBOX.c.id, OUTBOX.c.topic, OUTBOX.c.key, OUTBOX.c.payload)
        .where(OUTBOX.c.published_at.is_(None))
        .order_by(OUTBOX.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def _mark_published(db: AsyncSession, ids: list[int]) -> None:
    if ids:
        await db.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids)).values(published_at=utcnow()))


async def _note_failure(db: AsyncSession, row_id: int, error: PublishError) -> None:
    await db.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == row_id)
        .values(attempts=OUTBOX.c.attempts + 1, last_error=str(error))
    )
