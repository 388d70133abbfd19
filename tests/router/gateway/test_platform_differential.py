"""Our router answers as Apollo's gateway does on the project's own subgraphs (real
services on PostgreSQL and Kafka): same status, data and errors (count, paths, codes)
for every operation of the platform corpus, sent by anonymous, customer and staff callers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from subgraphs.products import models as products_models
from tests.fixtures.auth import row_counts
from tests.fixtures.products import category_rows, count_rows, product_snapshot, stored_review
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
from tests.router.gateway.platform_products_corpus import (
    AUTH_DOWN_CASES,
    PRODUCTS_CASES,
    PRODUCTS_DOWN_CASES,
    REJECTED_PRODUCT_MUTATIONS,
)
from tests.router.gateway.test_differential import assert_same_answer, error_outline

CASES = [*PLATFORM_CASES, *PRODUCTS_CASES]

COUNTED_PRODUCTS_TABLES = (
    products_models.Product,
    products_models.Category,
    products_models.Review,
    products_models.Inventory,
)

# (the subgraph that is unreachable, the case)
DOWN_CASES = [
    *((down, case) for down in ("auth", "users") for case in SUBGRAPH_DOWN_CASES),
    *(("auth", case) for case in AUTH_DOWN_CASES),
    *(("products", case) for case in PRODUCTS_DOWN_CASES),
]


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
    """Row counts of auth's tables, every row of each seeded user in users, and in
    products every row of the seeded products, categories and reviews, and row counts."""
    users, products = services["users"].sessions, services["products"].sessions
    catalog = seed.catalog
    return [
        await row_counts(services["auth"].sessions),
        *[await user_snapshot(users, account.id) for account in seed.accounts.values()],
        *[await product_snapshot(products, id) for id in catalog.product_ids.values()],
        await category_rows(products, *catalog.category_ids.values()),
        await stored_review(products, catalog.approved_review_id),
        await stored_review(products, catalog.pending_review_id),
        *[await count_rows(products, model) for model in COUNTED_PRODUCTS_TABLES],
    ]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_same_answer_as_apollo_gateway(
    platform_pair: Pair, platform_seed: Seed, case: PlatformCase
) -> None:
    # when
    ours, apollo = await answers(platform_pair, platform_seed, case)
    # then
    assert_same_answer(ours, apollo)
    assert codes(ours) == list(case.codes)


@pytest.mark.parametrize(
    ("platform_down_pair", "case"),
    DOWN_CASES,
    indirect=["platform_down_pair"],
    ids=[f"{down} down: {case.name}" for down, case in DOWN_CASES],
)
async def test_same_partial_answer_when_a_subgraph_is_down(
    platform_down_pair: Pair, platform_seed: Seed, case: PlatformCase
) -> None:
    # when
    ours, apollo = await answers(platform_down_pair, platform_seed, case)
    # then
    assert_same_answer(ours, apollo)
    assert codes(ours) == list(case.codes)


async def test_rejected_mutations_change_nothing(
    platform_pair: Pair, platform_services: dict[str, RunningService], platform_seed: Seed
) -> None:
    # given
    before = await platform_state(platform_services, platform_seed)
    # when
    for case in [*REJECTED_MUTATIONS, *REJECTED_PRODUCT_MUTATIONS]:
        await answers(platform_pair, platform_seed, case)
    # then
    assert await platform_state(platform_services, platform_seed) == before
