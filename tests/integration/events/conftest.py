from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from shared.events.kafka import KafkaPublisher, dead_letter_topic, ensure_topics
from tests.integration.events.demo import METADATA


@pytest.fixture
async def demo_db(postgres_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a fresh database holding the demo service's tables, dropped afterwards."""
    name = f"test_events_{uuid4().hex[:12]}"
    server = await asyncpg.connect(f"{postgres_url}/postgres")
    await server.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url.replace("postgresql://", "postgresql+asyncpg://", 1)
    engine = create_async_engine(f"{url}/{name}")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(METADATA.create_all)
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()
        await server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await server.close()


@pytest.fixture
def kafka_servers(kafka_bootstrap: str) -> list[str]:
    return kafka_bootstrap.split(",")


@pytest.fixture
def demo_topic(kafka_servers: list[str]) -> str:
    """A topic of its own, named like the producing demo service (the events' source)."""
    topic = f"demo{uuid4().hex[:12]}"
    ensure_topics(kafka_servers, [topic])
    return topic


@pytest.fixture
def demo_consumer_service(kafka_servers: list[str]) -> str:
    """The name of a consuming demo service, whose dead-letter topic exists."""
    service = f"consumer{uuid4().hex[:12]}"
    ensure_topics(kafka_servers, [dead_letter_topic(service)])
    return service


@pytest.fixture
async def publisher(kafka_servers: list[str]) -> AsyncIterator[KafkaPublisher]:
    publisher = KafkaPublisher(kafka_servers, timeout_seconds=2.0)
    yield publisher
    await publisher.close()
