"""Async SQLAlchemy per service database, and creating those databases."""

from __future__ import annotations

from datetime import UTC, datetime
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
    return create_async_engine(
        settings.service_database_url(service), pool_pre_ping=True, **kwargs
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: resolvers read attributes of rows after the service commits.
    return async_sessionmaker(engine, expire_on_commit=False)


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
