from __future__ import annotations

from typing import Any

from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, ProductFactory, product_snapshot
from tests.fixtures.services import RunningService

MUTATION_IMAGE_ADD = """
mutation Add($input: ProductImageAddInput!) { productImageAdd(input: $input) { image { id } } }
"""
MUTATION_IMAGE_REMOVE = """
mutation Remove($id: ID!) { productImageRemove(input: {id: $id}) { deletedId } }
"""
MUTATION_IMAGE_SET_PRIMARY = """
mutation Primary($id: ID!) { productImageSetPrimary(input: {id: $id}) { image { isPrimary } } }
"""
MUTATION_IMAGE_REORDER = """
mutation Reorder($productId: ID!, $imageIds: [ID!]!) {
  productImageReorder(input: {productId: $productId, imageIds: $imageIds}) {
    product { images { url } }
  }
}
"""
QUERY_IMAGES = """
query P($id: ID!) { product(id: $id) { images { url isPrimary } primaryImage { url } } }
"""


async def add_images(
    service: RunningService, admin: Caller, product_id: str, *names: str
) -> list[str]:
    ids = []
    for name in names:
        body = await service.graphql(
            MUTATION_IMAGE_ADD,
            {"input": {"productId": product_id, "url": f"https://img.test/{name}.jpg"}},
            token=admin.token,
        )
        ids.append(body["data"]["productImageAdd"]["image"]["id"])
    return ids


async def images_of(service: RunningService, product_id: str) -> dict[str, Any]:
    return (await service.graphql(QUERY_IMAGES, {"id": product_id}))["data"]["product"]


def url(name: str) -> str:
    return f"https://img.test/{name}.jpg"


async def test_the_first_image_is_primary_and_a_new_primary_replaces_it(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    _, second = await add_images(products_service, catalog_admin, product.id, "a", "b")

    # when
    body = await products_service.graphql(
        MUTATION_IMAGE_SET_PRIMARY, {"id": second}, token=catalog_admin.token
    )

    # then
    assert body == {"data": {"productImageSetPrimary": {"image": {"isPrimary": True}}}}
    assert await images_of(products_service, product.id) == {
        "images": [{"url": url("a"), "isPrimary": False}, {"url": url("b"), "isPrimary": True}],
        "primaryImage": {"url": url("b")},
    }


async def test_removing_the_primary_promotes_the_next_image(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    first, _, _ = await add_images(products_service, catalog_admin, product.id, "a", "b", "c")

    # when
    await products_service.graphql(MUTATION_IMAGE_REMOVE, {"id": first}, token=catalog_admin.token)

    # then
    assert await images_of(products_service, product.id) == {
        "images": [{"url": url("b"), "isPrimary": True}, {"url": url("c"), "isPrimary": False}],
        "primaryImage": {"url": url("b")},
    }


async def test_reorder_puts_images_in_the_given_order(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    a, b, c = await add_images(products_service, catalog_admin, product.id, "a", "b", "c")

    # when
    body = await products_service.graphql(
        MUTATION_IMAGE_REORDER,
        {"productId": product.id, "imageIds": [c, a, b]},
        token=catalog_admin.token,
    )

    # then
    images = body["data"]["productImageReorder"]["product"]["images"]
    assert images == [{"url": url("c")}, {"url": url("a")}, {"url": url("b")}]


async def test_a_reorder_that_misses_an_image_changes_nothing(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()
    a, b = await add_images(products_service, catalog_admin, product.id, "a", "b")
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    bodies = [
        await products_service.graphql(
            MUTATION_IMAGE_REORDER,
            {"productId": product.id, "imageIds": ids},
            token=catalog_admin.token,
        )
        for ids in ([b], [b, a, a], [b, "other"])
    ]

    # then
    refused = (
        "BAD_USER_INPUT",
        "imageIds must list each of the product's images once.",
        "imageIds",
    )
    assert [errors_of(body) for body in bodies] == [[refused]] * 3
    assert await product_snapshot(products_service.sessions, product.id) == before


async def test_an_image_url_must_be_http(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()

    # when
    body = await products_service.graphql(
        MUTATION_IMAGE_ADD,
        {"input": {"productId": product.id, "url": "javascript:alert(1)"}},
        token=catalog_admin.token,
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "url must be an http(s) URL.", "url")]
