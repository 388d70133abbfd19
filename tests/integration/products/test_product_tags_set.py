from __future__ import annotations

from sqlalchemy import text

from tests.fixtures.products import Caller, ProductFactory
from tests.fixtures.services import RunningService

MUTATION_TAGS_SET = """
mutation Tags($productId: ID!, $tags: [String!]!) {
  productTagsSet(input: {productId: $productId, tags: $tags}) { product { tags } }
}
"""


async def test_tags_are_replaced_normalised_and_searchable(
    products_service: RunningService, catalog_admin: Caller, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory(tags=["old"])

    # when
    body = await products_service.graphql(
        MUTATION_TAGS_SET,
        {"productId": product.id, "tags": ["  Gift  Idea", "gift idea", "Wool"]},
        token=catalog_admin.token,
    )

    # then
    assert body == {"data": {"productTagsSet": {"product": {"tags": ["gift idea", "wool"]}}}}
    async with products_service.sessions() as db:
        matches = await db.scalar(
            text(
                "SELECT search_vector @@ to_tsquery('english', 'gift') AND NOT"
                " search_vector @@ to_tsquery('english', 'old') FROM products WHERE id = :id"
            ),
            {"id": product.id},
        )
    assert matches is True
