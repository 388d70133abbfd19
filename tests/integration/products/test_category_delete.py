"""categoryDelete: only a category without subcategories and products goes; anything
else is refused with CATEGORY_NOT_EMPTY, so no product loses a category and no
subtree its parent."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import models
from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import (
    Caller,
    CategoryFactory,
    ProductFactory,
    category_rows,
    count_rows,
)
from tests.fixtures.services import RunningService

MUTATION_CATEGORY_DELETE = """
mutation Delete($id: ID!) { categoryDelete(input: {id: $id}) { deletedId } }
"""
NOT_EMPTY = (
    "CATEGORY_NOT_EMPTY",
    "Only a category without subcategories and products can be deleted.",
    "id",
)


async def test_an_empty_category_is_deleted_with_its_event(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    parent = await category_factory(name="Parent")
    leaf = await category_factory(name="Leaf", parent=parent)

    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_DELETE, {"id": leaf.id}, token=catalog_admin.token
    )

    # then
    assert body == {"data": {"categoryDelete": {"deletedId": leaf.id}}}
    assert await category_rows(products_db, parent.id, leaf.id) == {
        parent.id: (None, 0, f"{parent.id}/")
    }
    [event] = await outbox_events(products_db, "category.deleted", leaf.id)
    assert event["data"] | {"updatedAt": None} == {
        "categoryId": leaf.id,
        "name": "Leaf",
        "slug": leaf.slug,
        "parentId": parent.id,
        "level": 1,
        "sortOrder": 0,
        "isActive": True,
        "updatedAt": None,
        "actor": catalog_admin.user_id,
    }


async def test_a_category_with_a_subcategory_is_refused_and_nothing_changes(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    parent = await category_factory()
    child = await category_factory(parent=parent)
    before = await category_rows(products_db, parent.id, child.id)

    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_DELETE, {"id": parent.id}, token=catalog_admin.token
    )

    # then
    assert body["data"] is None
    assert errors_of(body) == [NOT_EMPTY]
    assert await category_rows(products_db, parent.id, child.id) == before
    assert await outbox_events(products_db, "category.deleted", parent.id) == []


async def test_a_category_with_a_product_is_refused_and_nothing_changes(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    category = await category_factory()
    product = await product_factory(category_ids=[category.id], status="archived")
    before = await category_rows(products_db, category.id)

    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_DELETE, {"id": category.id}, token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [NOT_EMPTY]
    assert await category_rows(products_db, category.id) == before
    assert (
        await count_rows(
            products_db,
            models.ProductCategory,
            models.ProductCategory.product_id == product.id,
            models.ProductCategory.category_id == category.id,
        )
        == 1
    )


async def test_a_customer_cannot_delete_a_category(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    customer_caller: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    category = await category_factory()

    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_DELETE, {"id": category.id}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert list(await category_rows(products_db, category.id)) == [category.id]
