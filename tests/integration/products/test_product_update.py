from __future__ import annotations

from typing import Any

from subgraphs.products import models
from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, CategoryFactory, ProductFactory, product_snapshot
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_UPDATE = """
mutation Update($input: ProductUpdateInput!) {
  productUpdate(input: $input) {
    product { name slug price status publishedAt metaTitle categories { id } }
  }
}
"""


def update_input(product_id: str, **fields: Any) -> dict[str, Any]:
    return {"input": {"id": product_id, **fields}}


async def test_admin_changes_fields_and_categories_with_one_event(
    products_service: RunningService,
    catalog_admin: Caller,
    product_factory: ProductFactory,
    category_factory: CategoryFactory,
) -> None:
    # given
    draft = await product_factory(status="draft")
    other = await category_factory()

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        update_input(
            draft.id, price="30", metaTitle="Warm scarf", categoryIds=[other.id], status="ACTIVE"
        ),
        token=catalog_admin.token,
    )

    # then
    product = body["data"]["productUpdate"]["product"]
    assert product | {"publishedAt": None} == {
        "name": "Merino scarf",
        "slug": draft.slug,
        "price": "30.00",
        "status": "ACTIVE",
        "publishedAt": None,
        "metaTitle": "Warm scarf",
        "categories": [{"id": other.id}],
    }
    assert product["publishedAt"] is not None
    [event] = await outbox_events(products_service.sessions, "product.updated", draft.id)
    assert (event["data"]["price"], event["data"]["categoryIds"]) == ("30.00", [other.id])


async def test_published_at_stays_from_the_first_activation(
    products_service: RunningService, catalog_admin: Caller, product: models.Product
) -> None:
    # given
    await products_service.graphql(
        MUTATION_PRODUCT_UPDATE, update_input(product.id, status="DRAFT"), token=catalog_admin.token
    )

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        update_input(product.id, status="ACTIVE"),
        token=catalog_admin.token,
    )

    # then
    published = body["data"]["productUpdate"]["product"]["publishedAt"]
    assert published == product.published_at.isoformat()


async def test_an_update_that_changes_nothing_emits_no_event(
    products_service: RunningService, catalog_admin: Caller, product: models.Product
) -> None:
    # when
    await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        update_input(product.id, name=product.name, price="25.00"),
        token=catalog_admin.token,
    )

    # then
    assert await outbox_events(products_service.sessions, "product.updated", product.id) == []


async def test_a_null_slug_is_made_again_from_the_new_name(
    products_service: RunningService, catalog_admin: Caller, product: models.Product
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        update_input(product.id, name=f"Alpaca Scarf {product.id[:8]}", slug=None),
        token=catalog_admin.token,
    )

    # then
    slug = body["data"]["productUpdate"]["product"]["slug"]
    assert slug == f"alpaca-scarf-{product.id[:8]}"


async def test_rejected_updates_change_nothing(
    products_service: RunningService,
    catalog_admin: Caller,
    product_factory: ProductFactory,
) -> None:
    # given
    product = await product_factory(compare_at_price="40")
    other = await product_factory()
    before = await product_snapshot(products_service.sessions, product.id)
    attempts = [
        ({"price": "50"}, "INVALID_PRICE", "compareAtPrice"),
        ({"sku": other.sku, "name": "Renamed"}, "DUPLICATE_SKU", "sku"),
        ({"slug": other.slug}, "DUPLICATE_SLUG", "slug"),
        ({"slug": "Not A Slug"}, "BAD_USER_INPUT", "slug"),
        ({"categoryIds": None}, "CATEGORY_REQUIRED", "categoryIds"),
        ({"price": None}, "BAD_USER_INPUT", "price"),
    ]

    # when
    bodies = [
        await products_service.graphql(
            MUTATION_PRODUCT_UPDATE, update_input(product.id, **fields), token=catalog_admin.token
        )
        for fields, _, _ in attempts
    ]

    # then
    assert [errors_of(body)[0][::2] for body in bodies] == [
        (code, field) for _, code, field in attempts
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before
    assert await outbox_events(products_service.sessions, "product.updated", product.id) == []


async def test_an_unknown_product_is_not_found(
    products_service: RunningService, catalog_admin: Caller
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE, update_input("missing", name="X"), token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Product not found.", "productId")]
