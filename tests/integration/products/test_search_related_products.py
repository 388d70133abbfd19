"""`Product.relatedProducts(first)`: bought together first, then shared categories and tags."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import models
from tests.fixtures.graphql import count_statements, errors_of
from tests.fixtures.products import CategoryFactory, ProductFactory, ProductsExecutor
from tests.fixtures.services import RunningService

QUERY_RELATED = """
query Related($id: ID!, $first: Int) {
  product(id: $id) { relatedProducts(first: $first) { name } }
}
"""
QUERY_RELATED_OF_ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Product { relatedProducts(first: 2) { name } }
  }
}
"""


async def bought_together(
    sessions: async_sessionmaker[AsyncSession], a: models.Product, b: models.Product, times: int
) -> None:
    """As the order-event consumer records it: once per direction."""
    async with sessions() as db:
        db.add_all(
            [
                models.ProductPair(
                    product_id=a.id, other_product_id=b.id, times_bought_together=times
                ),
                models.ProductPair(
                    product_id=b.id, other_product_id=a.id, times_bought_together=times
                ),
            ]
        )
        await db.commit()


async def test_bought_together_ranks_above_shared_categories_and_tags(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    tents, elsewhere = await category_factory(), await category_factory()
    tent = await product_factory(name="Tent", tags=["camping"], category_ids=[tents.id])
    stove = await product_factory(name="Stove", category_ids=[elsewhere.id])
    await product_factory(name="Tarp", tags=["camping"], category_ids=[tents.id])
    await product_factory(name="Pegs", category_ids=[tents.id])
    await product_factory(name="Lantern", tags=["camping"], category_ids=[elsewhere.id])
    await product_factory(name="Unrelated", category_ids=[elsewhere.id])
    await product_factory(
        name="Draft Tarp", status="draft", tags=["camping"], category_ids=[tents.id]
    )
    await bought_together(products_db, tent, stove, 2)

    # when
    body = await products_service.graphql(QUERY_RELATED, {"id": tent.id, "first": 3})

    # then
    assert body == {
        "data": {
            "product": {"relatedProducts": [{"name": "Stove"}, {"name": "Tarp"}, {"name": "Pegs"}]}
        }
    }


async def test_related_products_of_many_products_cost_one_statement(
    products_service: RunningService,
    products_in_process: ProductsExecutor,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    shelf = await category_factory()
    products = [
        await product_factory(name=f"Item {number}", category_ids=[shelf.id]) for number in range(3)
    ]
    representations = [{"__typename": "Product", "id": product.id} for product in products]

    # when
    with count_statements(products_service.engine) as statements:
        result = await products_in_process(
            QUERY_RELATED_OF_ENTITIES, {"representations": representations}
        )

    # then
    assert result.errors is None
    # equal scores: by id
    related = {
        product.id: [{"name": o.name} for o in sorted(products, key=by_id) if o is not product]
        for product in products
    }
    assert result.data == {
        "_entities": [{"relatedProducts": related[product.id]} for product in products]
    }
    assert statements.count == 2  # the products, then every product's related ones


def by_id(product: models.Product) -> str:
    return product.id


async def test_first_beyond_the_limit_is_refused(
    products_service: RunningService, product_factory: ProductFactory
) -> None:
    # given
    product = await product_factory()

    # when
    body = await products_service.graphql(QUERY_RELATED, {"id": product.id, "first": 21})

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "first must be between 1 and 20.", "first")]
