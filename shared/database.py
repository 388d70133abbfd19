"""Async SQLAlchemy per service database, and creating those databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg
from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped, mapped_column

from shared.settings import Settings

# Stable constraint names so Alembic migrations can name what they create and drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    """String UUID primary key: cross-service references are ID strings (DESIGN.md)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def create_engine(settings: Settings, service: str, **kwargs: object) -> AsyncEngine:
    return create_async_engine(settings.service_database_url(service), pool_pre_ping=True, **kwargs)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: resolvers read attributes of rows after the service commits.
    return async_sessionmaker(engine, class_=RequestSession, expire_on_commit=False)


async def ensure_database(settings: Settings, service: str) -> bool:
    """Create the service's database when missing; True when it was created."""
    name = settings.database_name(service)
    conn = await asyncpg.connect(f"{settings.server_url()}/postgres")
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()


async def drop_database(settings: Settings, service: str) -> None:
    name = settings.database_name(service)
    conn = await asyncpg.connect(f"{settings.server_url()}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class RequestSession(AsyncSession):
    """An AsyncSession that runs one statement at a time.

    graphql-core resolves sibling fields concurrently, and those resolvers share the
    request's session; an AsyncSession (one connection) must never run two
    statements at once, so each database call waits for the previous one.
    ``scalars`` goes through ``execute`` and is covered by it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._statement_lock = asyncio.Lock()

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        async with self._statement_lock:
            return await super().execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        async with self._statement_lock:
            return await super().scalar(*args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        async with self._statement_lock:
            return await super().get(*args, **kwargs)

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        async with self._statement_lock:
            await super().refresh(*args, **kwargs)

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        async with self._statement_lock:
            await super().flush(*args, **kwargs)

    async def commit(self) -> None:
        async with self._statement_lock:
            await super().commit()

    async def rollback(self) -> None:
        async with self._statement_lock:
            await super().rollback()
