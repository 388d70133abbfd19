"""category.created/updated/moved events: through the outbox, in the transaction of the
change, keyed by the category's id, with the admin who made it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.auth import outbox_events
from tests.fixtures.products import Caller, CategoryFactory
from tests.fixtures.services import RunningService

MUTATION_CATEGORY_CREATE = """
mutation Create($input: CategoryCreateInput!) { categoryCreate(input: $input) { category { id } } }
"""
MUTATION_CATEGORY_UPDATE = """
mutation Update($input: CategoryUpdateInput!) { categoryUpdate(input: $input) { category { id } } }
"""
MUTATION_CATEGORY_MOVE = """
mutation Move($id: ID!, $parentId: ID) {
  categoryMove(input: {id: $id, parentId: $parentId}) { category { id } }
}
"""


def data_of(event: dict[str, Any]) -> dict[str, Any]:
    assert (event["source"], event["key"]) == ("products", event["data"]["categoryId"])
    return event["data"] | {"updatedAt": None}


async def test_creating_a_category_emits_category_created(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    parent = await category_factory()

    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_CREATE,
        {"input": {"name": "Socks", "parentId": parent.id, "slug": f"socks-{parent.id}"}},
        token=catalog_admin.token,
    )

    # then
    category_id = body["data"]["categoryCreate"]["category"]["id"]
    [event] = await outbox_events(products_db, "category.created", category_id)
    assert data_of(event) == {
        "categoryId": category_id,
        "name": "Socks",
        "slug": f"socks-{parent.id}",
        "parentId": parent.id,
        "level": 1,
        "sortOrder": 0,
        "isActive": True,
        "updatedAt": None,
        "actor": catalog_admin.user_id,
    }


async def test_an_update_emits_category_updated_and_a_no_op_emits_nothing(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    category = await category_factory(name="Hats")

    # when
    for _ in range(2):
        await products_service.graphql(
            MUTATION_CATEGORY_UPDATE,
            {"input": {"id": category.id, "isActive": False, "sortOrder": 3}},
            token=catalog_admin.token,
        )

    # then
    [event] = await outbox_events(products_db, "category.updated", category.id)
    assert data_of(event) == {
        "categoryId": category.id,
        "name": "Hats",
        "slug": category.slug,
        "parentId": None,
        "level": 0,
        "sortOrder": 3,
        "isActive": False,
        "updatedAt": None,
        "actor": catalog_admin.user_id,
    }


async def test_a_move_emits_category_moved_with_the_previous_parent(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    old_parent = await category_factory()
    new_parent = await category_factory()
    category = await category_factory(name="Gloves", parent=old_parent)

    # when
    await products_service.graphql(
        MUTATION_CATEGORY_MOVE,
        {"id": category.id, "parentId": new_parent.id},
        token=catalog_admin.token,
    )

    # then
    [event] = await outbox_events(products_db, "category.moved", category.id)
    assert data_of(event) == {
        "categoryId": category.id,
        "name": "Gloves",
        "slug": category.slug,
        "parentId": new_parent.id,
        "previousParentId": old_parent.id,
        "level": 1,
        "sortOrder": 0,
        "isActive": True,
        "updatedAt": None,
        "actor": catalog_admin.user_id,
    }
