"""Alembic, one version history per service database, configured in code.

Each service keeps ``migrations/<service>/`` with ``env.py``, ``script.py.mako`` and
``versions/``. Its ``env.py`` is three lines::

    from shared.migrations import run_env
    from subgraphs.orders.models import Base

    run_env(Base.metadata)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.database import ensure_database
from shared.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"

log = logging.getLogger("commerce.migrations")


def alembic_config(settings: Settings, service: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR / service))
    # The config is a ConfigParser: a literal % (as in an escaped password) must be doubled.
    url = settings.service_database_url(service)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(settings: Settings, service: str, revision: str = "head") -> None:
    # Alembic's commands are synchronous and env.py runs its own event loop.
    await asyncio.to_thread(command.upgrade, alembic_config(settings, service), revision)


async def downgrade(settings: Settings, service: str, revision: str = "base") -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(settings, service), revision)


async def create_revision(
    settings: Settings, service: str, message: str, *, autogenerate: bool = True
) -> None:
    """Write a new revision file; autogenerate compares the models with the database at head."""
    config = alembic_config(settings, service)
    await asyncio.to_thread(command.revision, config, message=message, autogenerate=autogenerate)


async def migrate_all(settings: Settings, services: Iterable[str], revision: str = "head") -> None:
    """Create each service's database when missing and upgrade it to the revision."""
    for service in services:
        if await ensure_database(settings, service):
            log.info("created database %s", settings.database_name(service))
        await upgrade(settings, service, revision)
        log.info("%s: database at %s", service, revision)


def run_env(target_metadata: MetaData) -> None:
    """Run the migrations Alembic asks for; called by every ``migrations/<service>/env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("alembic config has no sqlalchemy.url: build it with alembic_config()")
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=target_metadata,
            literal_binds=True,
            dialect_opts={"paramstyle": "named"},
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, target_metadata))


async def _run_online(url: str, target_metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_migrations, target_metadata)
    finally:
        await engine.dispose()


def _run_migrations(connection: Connection, target_metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
