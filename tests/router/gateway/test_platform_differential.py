"""Our router answers as Apollo's gateway does on the project's own subgraphs (real
services on PostgreSQL and Kafka): same status, data and errors (count, paths, codes)
for every operation of the platform corpus, sent by anonymous, customer and staff callers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fixtures.auth import row_counts
from tests.fixtures.services import RunningService
from tests.fixtures.users import user_snapshot
from tests.router.conftest import Pair
from tests.router.fixtures.platform import Seed
from tests.router.gateway.platform_corpus import (
    PLATFORM_CASES,
    REJECTED_MUTATIONS,
    SUBGRAPH_DOWN_CASES,
    PlatformCase,
)
from tests.router.gateway.test_differential import assert_same_answer, error_outline


async def answers(
    pair: Pair, seed: Seed, case: PlatformCase
) -> tuple[httpx.Response, httpx.Response]:
    body, headers = case.body(seed), seed.headers(case.viewer)
    async with httpx.AsyncClient(timeout=30) as client:
        ours = await client.post(pair.ours, json=body, headers=headers)
        apollo = await client.post(pair.apollo, json=body, headers=headers)
    return ours, apollo


def codes(response: httpx.Response) -> list[str]:
    return [code for _, code in error_outline(response.json())]


async def platform_state(services: dict[str, RunningService], seed: Seed) -> list[Any]:
    """Row counts of auth's tables, then every row of each seeded user in users."""
    users = services["users"].sessions
    return [
        await row_counts(services["auth"].sessions),
        *[await user_snapshot(users, account.id) for account in seed.accounts.values()],
    ]


@pytest.mark.parametrize("case", PLATFORM_CASES, ids=[case.name for case in PLATFORM_CASES])
async def test_same_answer_as_apollo_gateway(
    platform_pair: Pair, platform_seed: Seed, case: PlatformCase
) -> None:
    # when
    ours, apollo = await answers(platform_pair, platform_seed, case)
    # then
    assert_same_answer(ours, apollo)
    assert codes(ours) == list(case.codes)


@pytest.mark.parametrize(
    "case", SUBGRAPH_DOWN_CASES, ids=[case.name for case in SUBGRAPH_DOWN_CASES]
)
async def test_same_partial_answer_when_a_subgraph_is_down(
    platform_down_pair: Pair, platform_seed: Seed, case: PlatformCase
) -> None:
    # when
    ours, apollo = await answers(platform_down_pair, platform_seed, case)
    # then
    assert_same_answer(ours, apollo)
    # Apollo's gateway, unlike Apollo's Rust router, reports a refused connection this way.
    assert codes(ours) == ["INTERNAL_SERVER_ERROR"]


async def test_rejected_mutations_change_nothing(
    platform_pair: Pair, platform_services: dict[str, RunningService], platform_seed: Seed
) -> None:
    # given
    before = await platform_state(platform_services, platform_seed)
    # when
    for case in REJECTED_MUTATIONS:
        await answers(platform_pair, platform_seed, case)
    # then
    assert await platform_state(platform_services, platform_seed) == before
