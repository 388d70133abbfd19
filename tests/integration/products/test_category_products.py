from __future__ import annotations

from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, CategoryFactory, ProductFactory
from tests.fixtures.services import RunningService

QUERY_CATEGORY_PRODUCTS = """
query Products($id: ID!, $first: Int!, $after: String) {
  categoryProducts(categoryId: $id, first: $first, after: $after) {
    edges { node { sku } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_products_of_descendants_come_newest_first_page_by_page(
    products_service: RunningService,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
    customer_caller: Caller,
) -> None:
    # given
    root = await category_factory()
    child = await category_factory(parent=root)
    grandchild = await category_factory(parent=child)
    unrelated = await category_factory()
    oldest = await product_factory(category_ids=[root.id])
    middle = await product_factory(category_ids=[grandchild.id, root.id])
    await product_factory(category_ids=[child.id], status="draft")
    newest = await product_factory(category_ids=[child.id])
    await product_factory(category_ids=[unrelated.id])

    # when
    first = await products_service.graphql(
        QUERY_CATEGORY_PRODUCTS, {"id": root.id, "first": 2}, token=customer_caller.token
    )
    cursor = first["data"]["categoryProducts"]["pageInfo"]["endCursor"]
    second = await products_service.graphql(
        QUERY_CATEGORY_PRODUCTS,
        {"id": root.id, "first": 2, "after": cursor},
        token=customer_caller.token,
    )

    # then
    page = first["data"]["categoryProducts"]
    assert [edge["node"]["sku"] for edge in page["edges"]] == [newest.sku, middle.sku]
    assert page["pageInfo"]["hasNextPage"] is True
    assert second["data"]["categoryProducts"] == {
        "edges": [{"node": {"sku": oldest.sku}}],
        "pageInfo": {
            "hasNextPage": False,
            "endCursor": second["data"]["categoryProducts"]["pageInfo"]["endCursor"],
        },
    }


async def test_an_inactive_category_is_not_found_for_customers(
    products_service: RunningService, category_factory: CategoryFactory, customer_caller: Caller
) -> None:
    # given
    hidden = await category_factory(is_active=False)

    # when
    body = await products_service.graphql(
        QUERY_CATEGORY_PRODUCTS, {"id": hidden.id, "first": 5}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Category not found.", "categoryId")]
