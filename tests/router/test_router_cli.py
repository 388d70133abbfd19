"""`commerce router`: settings checked before serving, several worker processes sharing
one port, and query plans exposed under `commerce dev`."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import httpx
import pytest

from router.supergraph import load_supergraph
from shared.cli import main
from shared.runtime.platform import SUPERGRAPH_FILE, router_command
from shared.settings import Settings
from tests.fixtures.settings import free_port

REPOSITORY = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


async def _started_workers(output: asyncio.StreamReader, count: int) -> set[str]:
    """The process ids uvicorn logs, once ``count`` workers have started their app."""
    pids: set[str] = set()
    started = 0
    async with asyncio.timeout(STARTUP_SECONDS):
        while started < count:
            line = (await output.readline()).decode()
            if not line:
                raise RuntimeError("the router exited before its workers started")
            pids.update(re.findall(r"Started server process \[(\d+)\]", line))
            started += "Application startup complete." in line
    return pids


async def test_two_workers_answer_on_one_port(benchmark_supergraph: Path) -> None:
    # given
    port = free_port()
    environment = {**os.environ, "COMMERCE_HOST": "127.0.0.1", "COMMERCE_LOG_LEVEL": "info"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.cli",
        "router",
        "--supergraph",
        str(benchmark_supergraph),
        "--port",
        str(port),
        "--workers",
        "2",
        cwd=REPOSITORY,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None

    # when
    try:
        workers = await _started_workers(process.stdout, 2)
        async with httpx.AsyncClient() as client:
            responses = [
                await client.post(
                    f"http://127.0.0.1:{port}/graphql", json={"query": "{ me { name } }"}
                )
                for _ in range(6)
            ]
    finally:
        process.terminate()
        await process.wait()

    # then
    assert [r.json() for r in responses] == [{"data": {"me": {"name": "Ada Lovelace"}}}] * 6
    assert len(workers) == 2
    assert str(process.pid) not in workers


def test_unknown_subgraph_in_the_config_stops_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    config = tmp_path / "router.toml"
    config.write_text('[subgraph_urls]\nacount = "http://auth:4001/graphql"\n')
    subgraphs = ", ".join(load_supergraph(SUPERGRAPH_FILE.read_text()).subgraph_urls)

    # when
    code = main(["router", "--config", str(config)])

    # then
    assert code == 1
    assert capsys.readouterr().err == (
        f"error: subgraph_urls names acount, not a subgraph of the supergraph ({subgraphs})\n"
    )


def test_bad_setting_in_the_config_stops_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    config = tmp_path / "router.toml"
    config.write_text("workers = 0\n")

    # when
    code = main(["router", "--config", str(config)])

    # then
    assert code == 1
    assert capsys.readouterr().err == f"error: {config}: workers must be at least 1 (got 0)\n"


def test_workers_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    # when
    with pytest.raises(SystemExit) as raised:
        main(["router", "--workers", "0"])

    # then
    assert raised.value.code == 2
    assert "argument --workers: '0' is not a positive whole number" in capsys.readouterr().err


def test_dev_router_exposes_query_plans() -> None:
    # when
    command = router_command(Path("supergraph.graphql"), Settings())

    # then
    assert command[1:] == [
        "-m",
        "shared.cli",
        "router",
        "--supergraph",
        "supergraph.graphql",
        "--port",
        "4000",
        "--expose-query-plan",
    ]
