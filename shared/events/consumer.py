"""The event consumer: Kafka messages to handlers, each event's effect applied once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.envelope import Event
from shared.events.inbox import INBOX_TABLE, record_event, record_failure
from shared.events.kafka import (
    KafkaPublisher,
    Message,
    PublishError,
    ThreadedConsumer,
    dead_letter_topic,
)

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, Event], Awaitable[None]]

MAX_DEAD_LETTER_BACKOFF_SECONDS = 5.0


@dataclass
class Subscription:
    """What a consuming service listens to: its ``events.py`` declares one."""

    service: str
    topics: list[str]
    handlers: dict[str, Handler]
    inbox_table: str = INBOX_TABLE


class EventConsumer:
    """Runs a subscription: group id = the consuming service, at-least-once delivery.

    Each event's handler runs in one transaction with its inbox row, so a redelivered
    event is a no-op. An event whose handler keeps failing, or a message that is no
    envelope at all, goes to the service's dead-letter topic and consumption moves on;
    while the database is unreachable nothing is dead-lettered, the event waits.
    """

    def __init__(
        self,
        subscription: Subscription,
        *,
        sessions: async_sessionmaker[AsyncSession],
        servers: list[str],
        publisher: KafkaPublisher,
        max_attempts: int = 5,
        backoff_seconds: float = 0.2,
    ) -> None:
        self.subscription = subscription
        self.sessions = sessions
        self.publisher = publisher
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.dead_lettered = 0
        self._kafka = ThreadedConsumer(
            servers, subscription.topics, subscription.service, self._handle_message
        )

    def __repr__(self) -> str:
        return f"EventConsumer({self.subscription.service!r}, topics={self.subscription.topics!r})"

    @property
    def running(self) -> bool:
        """Its Kafka consumer is open: in its group, or joining it."""
        return self._kafka.running

    @property
    def last_error(self) -> str | None:
        """The broker or database error that interrupts consumption right now, if any."""
        return self._kafka.last_error

    async def run(self) -> None:
        """Consume until cancelled."""
        await self._kafka.run()

    async def handle(self, event: Event) -> None:
        """Apply one event (retried, dead-lettered when it keeps failing)."""
        await self._handle(event, event.to_json(), event.topic)

    async def _handle_message(self, message: Message) -> None:
        try:
            event = Event.from_json(message.value)
        except ValueError as exc:
            await self._dead_letter(message.value, message.key, message.topic, str(exc), 0)
            return
        await self._handle(event, message.value, message.topic)

    async def _handle(self, event: Event, raw: bytes, topic: str) -> None:
        handler = self.subscription.handlers.get(event.type)
        if handler is None:
            log.debug("%s skips %s %s", self.subscription.service, event.type, event.id)
            return
        error = await self._attempt(handler, event)
        if error is None:
            return
        await self._dead_letter(raw, event.key.encode(), topic, error, self.max_attempts)
        async with self.sessions() as db:
            await record_failure(db, event, error, table_name=self.subscription.inbox_table)
            await db.commit()

    async def _attempt(self, handler: Handler, event: Event) -> str | None:
        """Run the handler up to max_attempts times; the last error when every attempt failed."""
        error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self._apply(handler, event)
                return None
            except Exception as exc:
                if _is_outage(exc):
                    raise
                error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "%s: %s %s failed (attempt %d of %d): %s",
                    self.subscription.service,
                    event.type,
                    event.id,
                    attempt,
                    self.max_attempts,
                    error,
                    exc_info=attempt == self.max_attempts,
                )
            if attempt < self.max_attempts:
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        return error

    async def _apply(self, handler: Handler, event: Event) -> None:
        # Closing the session without a commit rolls back the inbox row with the effect.
        async with self.sessions() as db:
            if await record_event(db, event, table_name=self.subscription.inbox_table):
                await handler(db, event)
                await db.commit()

    async def _dead_letter(
        self, raw: bytes, key: bytes | None, topic: str, error: str, attempts: int
    ) -> None:
        """Park a message on the dead-letter topic, retrying until the broker takes it.

        The offset is committed only after this returns, so nothing is dropped silently.
        """
        headers = [
            ("error", error.encode()),
            ("original-topic", topic.encode()),
            ("attempts", str(attempts).encode()),
        ]
        target = dead_letter_topic(self.subscription.service)
        delay = self.backoff_seconds
        while True:
            try:
                await self.publisher.publish(target, _text(key), raw, headers)
                self.dead_lettered += 1
                return
            except PublishError as exc:
                log.warning(
                    "%s: dead-lettering failed, retrying in %.1f s: %s",
                    self.subscription.service,
                    delay,
                    exc,
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DEAD_LETTER_BACKOFF_SECONDS)


def _is_outage(exc: Exception) -> bool:
    """The database is unreachable: not the event's fault, so it is retried, not dead-lettered.

    The consumer then reconnects after a pause and the message is delivered again.
    """
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated
    return isinstance(exc, ConnectionError)


def _text(key: bytes | None) -> str:
    return "" if key is None else key.decode(errors="replace")
