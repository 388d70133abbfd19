from __future__ import annotations

from subgraphs.products import models
from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, product_snapshot
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_ARCHIVE = """
mutation Archive($id: ID!) { productArchive(input: {id: $id}) { product { status } } }
"""
MUTATION_PRODUCT_UPDATE = """
mutation Update($input: ProductUpdateInput!) { productUpdate(input: $input) { product { status } } }
"""
QUERY_PRODUCT = "query P($id: ID!) { product(id: $id) { id } }"


async def test_archiving_hides_the_product_and_emits_archived(
    products_service: RunningService,
    catalog_admin: Caller,
    customer_caller: Caller,
    product: models.Product,
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_ARCHIVE, {"id": product.id}, token=catalog_admin.token
    )

    # then
    assert body == {"data": {"productArchive": {"product": {"status": "ARCHIVED"}}}}
    seen = await products_service.graphql(
        QUERY_PRODUCT, {"id": product.id}, token=customer_caller.token
    )
    assert seen == {"data": {"product": None}}
    [event] = await outbox_events(products_service.sessions, "product.archived", product.id)
    assert event["data"]["status"] == "archived"
    assert await outbox_events(products_service.sessions, "product.updated", product.id) == []


async def test_an_archived_product_is_frozen_until_it_is_a_draft_again(
    products_service: RunningService, catalog_admin: Caller, product: models.Product
) -> None:
    # given
    await products_service.graphql(
        MUTATION_PRODUCT_ARCHIVE, {"id": product.id}, token=catalog_admin.token
    )
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    renamed = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        {"input": {"id": product.id, "name": "New"}},
        token=catalog_admin.token,
    )
    activated = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        {"input": {"id": product.id, "status": "ACTIVE"}},
        token=catalog_admin.token,
    )
    restored = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        {"input": {"id": product.id, "status": "DRAFT"}},
        token=catalog_admin.token,
    )

    # then
    assert errors_of(renamed) == [
        (
            "PRODUCT_ARCHIVED",
            "The product is archived: move it back to draft before changing it.",
            "status",
        )
    ]
    assert errors_of(activated) == [
        ("INVALID_STATUS_TRANSITION", "A product cannot move from archived to active.", "status")
    ]
    assert restored == {"data": {"productUpdate": {"product": {"status": "DRAFT"}}}}
    after = await product_snapshot(products_service.sessions, product.id)
    assert after["products"][0]["status"] == "draft"
    assert before["products"][0]["name"] == after["products"][0]["name"] == product.name
