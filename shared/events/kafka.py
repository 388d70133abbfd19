"""kafka-python (synchronous, thread-based) bridged to asyncio: topics, a publisher, a consumer."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from shared.settings import SERVICES

log = logging.getLogger(__name__)

PARTITIONS = 3
# Apache Kafka's smallest allowed session timeout: a consumer that dies without leaving
# its group holds its partitions this long, so keep it short for fast restarts.
SESSION_TIMEOUT_MS = 6000
HEARTBEAT_INTERVAL_MS = 1000
POLL_TIMEOUT_MS = 200
# Every blocking consumer call is bounded, so stopping never waits on a broker that is down.
CONSUMER_BLOCK_MS = 2000
COMMIT_TIMEOUT_MS = 5000
# How soon a consumer sees a topic created (or re-created after a broker lost it) after it
# subscribed: kafka-python's default, five minutes, would leave its events unread that long.
METADATA_MAX_AGE_MS = 5000

Headers = list[tuple[str, bytes]]


def dead_letter_topic(service: str) -> str:
    """Where a consuming service parks the events it could not handle."""
    return f"{service}.dlq"


# One topic per producing domain, one dead-letter topic per consuming service.
ALL_TOPICS: list[str] = [*SERVICES, *(dead_letter_topic(service) for service in SERVICES)]


def ensure_topics(
    servers: list[str], topics: list[str], *, partitions: int = PARTITIONS, wait_seconds: float = 30
) -> None:
    """Create the topics that do not exist yet, retrying while the broker is still starting."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            _create_missing_topics(servers, topics, partitions)
            return
        except KafkaError as exc:
            if time.monotonic() >= deadline:
                raise
            log.info("broker %s not ready for topic creation yet: %s", servers, exc)
            time.sleep(0.5)


def _create_missing_topics(servers: list[str], topics: list[str], partitions: int) -> None:
    admin = KafkaAdminClient(
        bootstrap_servers=servers, bootstrap_timeout_ms=5000, request_timeout_ms=5000
    )
    try:
        missing = sorted(set(topics) - set(admin.list_topics()))
        if not missing:
            return
        response = admin.create_topics(
            {name: {"num_partitions": partitions} for name in missing}, raise_errors=False
        )
        # Another process may have created some of them in the meantime: that is fine.
        failed = {
            result["name"]: result["error_message"]
            for result in response["topics"]
            if result["error_code"] not in (0, TopicAlreadyExistsError.errno)
        }
        if failed:
            raise RuntimeError(f"could not create topics: {failed}")
        admin.wait_for_topics(missing)
    finally:
        admin.close()


class PublishError(Exception):
    """The broker did not acknowledge a message in time."""


class KafkaPublisher:
    """Publishes messages and waits for every in-sync replica to acknowledge them (acks=all).

    Each publish gives up after about ``timeout_seconds``: the callers (outbox relay,
    dead-lettering) retry, so failing fast beats blocking for minutes.
    """

    def __init__(self, servers: list[str], *, timeout_seconds: float = 5.0) -> None:
        self.servers = list(servers)
        self.timeout_seconds = timeout_seconds
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KafkaPublisher({self.servers!r}, timeout_seconds={self.timeout_seconds!r})"

    async def publish(
        self, topic: str, key: str, value: bytes, headers: Headers | None = None
    ) -> None:
        await asyncio.to_thread(self._publish, topic, key, value, headers or [])

    async def close(self) -> None:
        with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            await asyncio.to_thread(producer.close, self.timeout_seconds)

    def _publish(self, topic: str, key: str, value: bytes, headers: Headers) -> None:
        producer: KafkaProducer | None = None
        try:
            producer = self._current_producer()
            future = producer.send(topic, key=key.encode(), value=value, headers=headers)
            future.get(timeout=self.timeout_seconds * 2)
        except KafkaError as exc:
            # A producer that failed may hold stale state (the embedded broker forgets
            # producer ids on restart), so the next publish starts a fresh one.
            if producer is not None:
                self._discard(producer)
            raise PublishError(f"could not publish to {topic!r} via {self.servers}: {exc}") from exc

    def _current_producer(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                timeout_ms = int(self.timeout_seconds * 1000)
                self._producer = KafkaProducer(
                    bootstrap_servers=self.servers,
                    acks="all",
                    bootstrap_timeout_ms=timeout_ms,
                    max_block_ms=timeout_ms,
                    request_timeout_ms=timeout_ms,
                    delivery_timeout_ms=timeout_ms,
                )
            return self._producer

    def _discard(self, failed: KafkaProducer) -> None:
        """Drop ``failed`` unless another thread has already replaced it."""
        with self._lock:
            current = self._producer is failed
            if current:
                self._producer = None
        if current:
            failed.close(timeout=0)


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


MessageHandler = Callable[[Message], Coroutine[Any, Any, None]]


class ThreadedConsumer:
    """Consumes ``topics`` as group ``group_id``, awaiting ``handle`` for each message in order.

    kafka-python's consumer is not thread-safe, so one dedicated thread owns it: the thread
    polls, hands each message to the event loop, waits until it is handled and only then
    commits its offset (at-least-once). When the broker or the handling fails, the thread
    closes the consumer and joins the group again after a pause, so the uncommitted
    message is delivered again.
    """

    def __init__(
        self,
        servers: list[str],
        topics: list[str],
        group_id: str,
        handle: MessageHandler,
        *,
        retry_seconds: float = 1.0,
    ) -> None:
        self.servers = list(servers)
        self.topics = list(topics)
        self.group_id = group_id
        self.retry_seconds = retry_seconds
        self.running = False
        self.last_error: str | None = None
        self._handle = handle
        self._stop = threading.Event()
        self._in_flight: concurrent.futures.Future[None] | None = None

    def __repr__(self) -> str:
        return f"ThreadedConsumer({self.servers!r}, {self.topics!r}, {self.group_id!r})"

    async def run(self) -> None:
        """Consume until cancelled; returns only once the consumer thread has finished."""
        loop = asyncio.get_running_loop()
        finished: asyncio.Future[None] = loop.create_future()
        self._stop.clear()
        thread = threading.Thread(
            target=self._thread_main,
            args=(loop, finished),
            name=f"kafka-consumer-{self.group_id}",
            daemon=True,
        )
        thread.start()
        try:
            await asyncio.shield(finished)
        finally:
            self._stop.set()
            in_flight = self._in_flight
            if in_flight is not None:
                in_flight.cancel()
            await asyncio.wait([finished])

    def _thread_main(self, loop: asyncio.AbstractEventLoop, finished: asyncio.Future[None]) -> None:
        error: BaseException | None = None
        try:
            while not self._stop.is_set():
                self._consume_until_failure(loop)
        except BaseException as exc:
            error = exc
        finally:
            # The loop is already closed when nobody waits for this thread any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, finished, error)

    def _consume_until_failure(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            consumer = self._open()
        except KafkaError as exc:
            self._pause_after(exc)
            return
        self.running = True
        try:
            self._poll(consumer, loop)
        except Exception as exc:
            self._pause_after(exc)
        finally:
            self.running = False
            consumer.close(autocommit=False, timeout_ms=CONSUMER_BLOCK_MS)

    def _open(self) -> KafkaConsumer:
        return KafkaConsumer(
            *self.topics,
            bootstrap_servers=self.servers,
            group_id=self.group_id,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            session_timeout_ms=SESSION_TIMEOUT_MS,
            heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS,
            bootstrap_timeout_ms=CONSUMER_BLOCK_MS,
            metadata_max_age_ms=METADATA_MAX_AGE_MS,
        )

    def _poll(self, consumer: KafkaConsumer, loop: asyncio.AbstractEventLoop) -> None:
        while not self._stop.is_set():
            batches = consumer.poll(timeout_ms=POLL_TIMEOUT_MS)
            self.last_error = None
            for records in batches.values():
                for record in records:
                    if self._stop.is_set() or not self._deliver(consumer, loop, record):
                        return

    def _deliver(
        self, consumer: KafkaConsumer, loop: asyncio.AbstractEventLoop, record: ConsumerRecord
    ) -> bool:
        """Handle one record on the event loop, then commit it; False when stopped meanwhile."""
        future = asyncio.run_coroutine_threadsafe(self._handle(_message(record)), loop)
        self._in_flight = future
        try:
            future.result()
        except concurrent.futures.CancelledError:
            if self._stop.is_set():
                return False
            raise
        finally:
            self._in_flight = None
        partition = TopicPartition(record.topic, record.partition)
        offset = OffsetAndMetadata(record.offset + 1, "", -1)
        consumer.commit({partition: offset}, timeout_ms=COMMIT_TIMEOUT_MS)
        return True

    def _pause_after(self, exc: BaseException) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"
        if self._stop.is_set():
            return
        # Broker and network trouble is expected and needs no traceback; anything else does.
        outage = isinstance(exc, KafkaError | OSError)
        log.warning(
            "consumer %s: %s; retrying in %.1f s",
            self.group_id,
            self.last_error,
            self.retry_seconds,
            exc_info=not outage,
        )
        self._stop.wait(self.retry_seconds)


def _message(record: ConsumerRecord) -> Message:
    return Message(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value or b"",
    )


def _settle(finished: asyncio.Future[None], error: BaseException | None) -> None:
    if finished.done():
        return
    if error is None:
        finished.set_result(None)
    else:
        finished.set_exception(error)
