from __future__ import annotations

from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, ProductFactory, product_snapshot
from tests.fixtures.services import RunningService

MUTATION_VARIANT_CREATE = """
mutation Create($input: ProductVariantCreateInput!) {
  productVariantCreate(input: $input) { variant { id sku name price attributes } }
}
"""
MUTATION_VARIANT_UPDATE = """
mutation Update($input: ProductVariantUpdateInput!) {
  productVariantUpdate(input: $input) { variant { sku price } }
}
"""
MUTATION_VARIANT_DELETE = """
mutation Delete($id: ID!) { productVariantDelete(input: {id: $id}) { deletedId } }
"""
QUERY_VARIANTS = "query P($id: ID!) { product(id: $id) { variants { sku } } }"


async def test_a_variant_is_named_after_its_options_and_updates_its_product(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    sku = f"{product.sku}-M-RED"

    # when
    body = await products_service.graphql(
        MUTATION_VARIANT_CREATE,
        {
            "input": {
                "productId": product.id,
                "sku": sku,
                "price": "27",
                "attributes": {"size": "M", "colour": "red"},
            }
        },
        token=catalog_admin.token,
    )

    # then
    variant = body["data"]["productVariantCreate"]["variant"]
    assert variant == {
        "id": variant["id"],
        "sku": sku,
        "name": "M / red",
        "price": "27.00",
        "attributes": {"size": "M", "colour": "red"},
    }
    assert len(await outbox_events(products_service.sessions, "product.updated", product.id)) == 1


async def test_variant_skus_are_unique_across_products_and_variants(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    other = await product_factory()
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    body = await products_service.graphql(
        MUTATION_VARIANT_CREATE,
        {"input": {"productId": product.id, "sku": other.sku}},
        token=catalog_admin.token,
    )

    # then
    assert errors_of(body) == [("DUPLICATE_SKU", f"SKU {other.sku} is already in use.", "sku")]
    assert await product_snapshot(products_service.sessions, product.id) == before


async def test_a_variant_price_must_be_positive_and_below_its_compare_at(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    created = await products_service.graphql(
        MUTATION_VARIANT_CREATE,
        {"input": {"productId": product.id, "sku": f"{product.sku}-V", "compareAtPrice": "30"}},
        token=catalog_admin.token,
    )
    variant_id = created["data"]["productVariantCreate"]["variant"]["id"]
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    zero = await products_service.graphql(
        MUTATION_VARIANT_UPDATE,
        {"input": {"id": variant_id, "price": "0"}},
        token=catalog_admin.token,
    )
    above = await products_service.graphql(
        MUTATION_VARIANT_UPDATE,
        {"input": {"id": variant_id, "price": "31"}},
        token=catalog_admin.token,
    )

    # then
    assert errors_of(zero) == [("INVALID_PRICE", "price must be greater than 0.", "price")]
    assert errors_of(above) == [
        ("INVALID_PRICE", "compareAtPrice must be at least the price (31.00).", "compareAtPrice")
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before


async def test_a_deleted_variant_is_gone_from_its_product(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    created = await products_service.graphql(
        MUTATION_VARIANT_CREATE,
        {"input": {"productId": product.id, "sku": f"{product.sku}-GONE"}},
        token=catalog_admin.token,
    )
    variant_id = created["data"]["productVariantCreate"]["variant"]["id"]

    # when
    body = await products_service.graphql(
        MUTATION_VARIANT_DELETE, {"id": variant_id}, token=catalog_admin.token
    )

    # then
    assert body == {"data": {"productVariantDelete": {"deletedId": variant_id}}}
    listed = await products_service.graphql(QUERY_VARIANTS, {"id": product.id})
    assert listed == {"data": {"product": {"variants": []}}}


async def test_a_second_variant_with_the_same_options_is_refused_in_any_key_order(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    await products_service.graphql(
        MUTATION_VARIANT_CREATE,
        {
            "input": {
                "productId": product.id,
                "sku": f"{product.sku}-M-RED",
                "attributes": {"size": "M", "colour": "red"},
            }
        },
        token=catalog_admin.token,
    )
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    body = await products_service.graphql(
        MUTATION_VARIANT_CREATE,
        {
            "input": {
                "productId": product.id,
                "sku": f"{product.sku}-RED-M",
                "attributes": {"colour": "red", "size": "M"},
            }
        },
        token=catalog_admin.token,
    )

    # then
    assert errors_of(body) == [
        (
            "DUPLICATE_VARIANT_OPTIONS",
            f"Variant {product.sku}-M-RED has these options already.",
            "attributes",
        )
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before


async def test_an_update_to_another_variants_options_is_refused(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    for size in ("S", "L"):
        created = await products_service.graphql(
            MUTATION_VARIANT_CREATE,
            {
                "input": {
                    "productId": product.id,
                    "sku": f"{product.sku}-{size}",
                    "attributes": {"size": size},
                }
            },
            token=catalog_admin.token,
        )
    large_id = created["data"]["productVariantCreate"]["variant"]["id"]
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    body = await products_service.graphql(
        MUTATION_VARIANT_UPDATE,
        {"input": {"id": large_id, "attributes": {"size": "S"}}},
        token=catalog_admin.token,
    )

    # then
    assert errors_of(body) == [
        (
            "DUPLICATE_VARIANT_OPTIONS",
            f"Variant {product.sku}-S has these options already.",
            "attributes",
        )
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before
