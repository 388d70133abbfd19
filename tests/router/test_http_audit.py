"""graphql-http's GraphQL-over-HTTP audit finds no error in the router's HTTP edge."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.router.conftest import Pair
from tests.router.fixtures.servers import node


async def test_graphql_over_http_audit_has_no_errors(
    apollo_peers: Path, benchmark_pair: Pair
) -> None:
    # when
    process = await asyncio.create_subprocess_exec(
        node(), "audit.mjs", benchmark_pair.ours, cwd=apollo_peers, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await process.communicate()
    results = json.loads(output)
    # then
    assert len(results) > 10
    assert [r for r in results if r["status"] == "error"] == []
