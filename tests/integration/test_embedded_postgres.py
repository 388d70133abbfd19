from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import pytest

from shared.runtime.net import free_port, port_open
from shared.runtime.postgres import EmbeddedPostgres
from tests.fixtures.database import server_directory


@pytest.fixture
def embedded_postgres() -> Iterator[EmbeddedPostgres]:
    """A server not started yet, in a fresh directory; stopped after the test."""
    with server_directory() as directory:
        server = EmbeddedPostgres(directory / "postgres", free_port())
        yield server
        server.stop()


async def test_started_server_can_create_pg_trgm(embedded_postgres: EmbeddedPostgres) -> None:
    # given
    url = embedded_postgres.start()

    # when
    connection = await asyncpg.connect(f"{url}/postgres")
    try:
        await connection.execute("CREATE EXTENSION pg_trgm")
        similarity = await connection.fetchval("SELECT similarity('commerce', 'commerce')")
    finally:
        await connection.close()

    # then
    assert url == f"postgresql://postgres@127.0.0.1:{embedded_postgres.port}"
    assert similarity == 1.0


async def test_second_start_on_the_same_directory_reuses_the_running_server(
    embedded_postgres: EmbeddedPostgres,
) -> None:
    # given
    embedded_postgres.start()
    started_at = await _fetch(embedded_postgres.url, "SELECT pg_postmaster_start_time()")
    again = EmbeddedPostgres(embedded_postgres.data_dir, embedded_postgres.port)

    # when
    url = again.start()
    again.stop()

    # then
    assert url == embedded_postgres.url
    assert await _fetch(url, "SELECT pg_postmaster_start_time()") == started_at


async def test_stopped_server_refuses_connections(embedded_postgres: EmbeddedPostgres) -> None:
    # given
    embedded_postgres.start()

    # when
    embedded_postgres.stop()

    # then
    assert not port_open(embedded_postgres.port)
    with pytest.raises(ConnectionRefusedError):
        await asyncpg.connect(f"{embedded_postgres.url}/postgres")


async def test_data_survives_a_restart(embedded_postgres: EmbeddedPostgres) -> None:
    # given
    embedded_postgres.start()
    await _execute(embedded_postgres.url, "CREATE TABLE kept (name text)")
    await _execute(embedded_postgres.url, "INSERT INTO kept VALUES ('still here')")

    # when
    embedded_postgres.stop()
    embedded_postgres.start()

    # then
    assert await _fetch(embedded_postgres.url, "SELECT name FROM kept") == "still here"


async def _fetch(url: str, query: str) -> object:
    connection = await asyncpg.connect(f"{url}/postgres")
    try:
        return await connection.fetchval(query)
    finally:
        await connection.close()


async def _execute(url: str, statement: str) -> None:
    connection = await asyncpg.connect(f"{url}/postgres")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
