"""Our router answers as Apollo's gateway does: same status, data, and errors (count,
paths, codes) for every operation of the corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.router.conftest import Pair
from tests.router.fixtures.servers import start_gateway
from tests.router.gateway.catalog_corpus import CATALOG_CASES, PEOPLE_DOWN_CASES
from tests.router.gateway.context_corpus import CONTEXT_CASES, ContextCase
from tests.router.gateway.corpus import CASES, INVENTORY_DOWN_CASES, Case


async def answers(pair: Pair, case: Case) -> tuple[httpx.Response, httpx.Response]:
    async with httpx.AsyncClient(timeout=30) as client:
        ours = await client.post(pair.ours, json=case.body())
        apollo = await client.post(pair.apollo, json=case.body())
    return ours, apollo


def error_outline(body: dict[str, Any]) -> list[tuple[Any, Any]]:
    return [
        (error.get("path"), error.get("extensions", {}).get("code"))
        for error in body.get("errors", [])
    ]


def assert_same_answer(ours: httpx.Response, apollo: httpx.Response) -> None:
    assert ours.status_code == apollo.status_code
    ours_body, apollo_body = ours.json(), apollo.json()
    assert ours_body.get("data") == apollo_body.get("data")
    assert error_outline(ours_body) == error_outline(apollo_body)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_same_answer_as_apollo_gateway(benchmark_pair: Pair, case: Case) -> None:
    # when
    ours, apollo = await answers(benchmark_pair, case)
    # then
    assert_same_answer(ours, apollo)


@pytest.mark.parametrize(
    "case", INVENTORY_DOWN_CASES, ids=[case.name for case in INVENTORY_DOWN_CASES]
)
async def test_same_partial_answer_when_a_subgraph_is_down(
    inventory_down_pair: Pair, case: Case
) -> None:
    # when
    ours, apollo = await answers(inventory_down_pair, case)
    # then
    assert_same_answer(ours, apollo)


@pytest.mark.parametrize("case", CATALOG_CASES, ids=[case.name for case in CATALOG_CASES])
async def test_same_answer_on_the_catalog(catalog_pair: Pair, case: Case) -> None:
    # when
    ours, apollo = await answers(catalog_pair, case)
    # then
    assert_same_answer(ours, apollo)


@pytest.mark.parametrize("case", PEOPLE_DOWN_CASES, ids=[case.name for case in PEOPLE_DOWN_CASES])
async def test_same_partial_answer_when_people_is_down(people_down_pair: Pair, case: Case) -> None:
    # when
    ours, apollo = await answers(people_down_pair, case)
    # then
    assert_same_answer(ours, apollo)


@pytest.mark.parametrize("expected", CONTEXT_CASES, ids=[c.case.name for c in CONTEXT_CASES])
async def test_contextual_arguments_get_their_ancestors_values(
    context_router: str, expected: ContextCase
) -> None:
    # when
    async with httpx.AsyncClient(timeout=30) as client:
        answer = await client.post(context_router, json=expected.case.body())

    # then
    assert answer.status_code == 200
    assert answer.json() == {"data": expected.data}


async def test_apollo_gateway_refuses_a_supergraph_with_contexts(
    apollo_peers: Path, context_supergraph_file: Path
) -> None:
    """Why the context cases have expected data rather than the gateway's answers."""
    # when
    with pytest.raises(RuntimeError) as refused:
        await start_gateway(apollo_peers, context_supergraph_file)

    # then
    assert "did not start" in str(refused.value)
