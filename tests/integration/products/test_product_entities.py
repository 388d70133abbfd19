from __future__ import annotations

from typing import Any

import pytest

from subgraphs.products import models
from tests.fixtures.graphql import count_statements
from tests.fixtures.products import Caller, CategoryFactory, ProductFactory, ProductsExecutor
from tests.fixtures.services import RunningService

QUERY_PRODUCT_ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { id sku } }
}
"""
QUERY_PRODUCT_DETAIL = """
query P($slug: String!) { product(slug: $slug) { name costPrice status } }
"""
QUERY_CATEGORY_ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Category { id name } }
}
"""


def representations(typename: str, *ids: str) -> dict[str, Any]:
    return {"representations": [{"__typename": typename, "id": id_} for id_ in ids]}


async def test_n_products_resolve_in_one_statement(
    products_service: RunningService,
    products_in_process: ProductsExecutor,
    product_factory: ProductFactory,
) -> None:
    # given
    products = [await product_factory() for _ in range(4)]
    ids = [products[2].id, "missing", products[0].id, products[3].id, products[1].id]

    # when
    with count_statements(products_service.engine) as statements:
        result = await products_in_process(QUERY_PRODUCT_ENTITIES, representations("Product", *ids))

    # then
    assert result.errors is None
    by_id = {p.id: {"id": p.id, "sku": p.sku} for p in products}
    assert result.data == {"_entities": [by_id.get(product_id) for product_id in ids]}
    assert statements.count == 1


@pytest.mark.parametrize(
    ("caller", "sees_hidden"),
    [("anonymous", False), ("customer", False), ("support", True), ("admin", True)],
)
async def test_hidden_products_resolve_to_null_for_customers_only(
    products_service: RunningService,
    product_factory: ProductFactory,
    customer_caller: Caller,
    support_agent_caller: Caller,
    catalog_admin: Caller,
    caller: str,
    sees_hidden: bool,
) -> None:
    # given
    tokens = {
        "anonymous": None,
        "customer": customer_caller.token,
        "support": support_agent_caller.token,
        "admin": catalog_admin.token,
    }
    public = await product_factory()
    draft = await product_factory(status="draft")
    invisible = await product_factory(is_visible=False)

    # when
    body = await products_service.graphql(
        QUERY_PRODUCT_ENTITIES,
        representations("Product", public.id, draft.id, invisible.id),
        token=tokens[caller],
    )

    # then
    hidden = [{"id": p.id, "sku": p.sku} if sees_hidden else None for p in (draft, invisible)]
    assert body == {"data": {"_entities": [{"id": public.id, "sku": public.sku}, *hidden]}}


@pytest.mark.parametrize(
    ("caller", "cost_price"), [("customer", None), ("support", None), ("admin", "9.99")]
)
async def test_cost_price_is_for_admins_only(
    products_service: RunningService,
    product_factory: ProductFactory,
    customer_caller: Caller,
    support_agent_caller: Caller,
    catalog_admin: Caller,
    caller: str,
    cost_price: str | None,
) -> None:
    # given
    tokens = {
        "customer": customer_caller.token,
        "support": support_agent_caller.token,
        "admin": catalog_admin.token,
    }
    product = await product_factory(cost_price="9.99")

    # when
    body = await products_service.graphql(
        QUERY_PRODUCT_DETAIL, {"slug": product.slug}, token=tokens[caller]
    )

    # then
    assert body == {
        "data": {"product": {"name": product.name, "costPrice": cost_price, "status": "ACTIVE"}}
    }


async def test_inactive_categories_resolve_to_null_for_customers(
    products_service: RunningService,
    category_factory: CategoryFactory,
    customer_caller: Caller,
    catalog_admin: Caller,
) -> None:
    # given
    active: models.Category = await category_factory()
    inactive: models.Category = await category_factory(is_active=False)
    variables = representations("Category", active.id, inactive.id)

    # when
    as_customer = await products_service.graphql(
        QUERY_CATEGORY_ENTITIES, variables, token=customer_caller.token
    )
    as_admin = await products_service.graphql(
        QUERY_CATEGORY_ENTITIES, variables, token=catalog_admin.token
    )

    # then
    seen = [{"id": c.id, "name": c.name} for c in (active, inactive)]
    assert as_customer == {"data": {"_entities": [seen[0], None]}}
    assert as_admin == {"data": {"_entities": seen}}
