"""Category lookups, a category's products, and the admin mutations on the tree."""

from __future__ import annotations

import strawberry

from shared.errors import bad_input, not_found
from shared.graphql import given_fields
from subgraphs.products import categories
from subgraphs.products.api.catalog import UNSET, admin_id
from subgraphs.products.api.types import (
    Category,
    Info,
    ProductConnection,
    categories_of,
    category_of,
    is_staff,
)

NOT_FIELDS = frozenset({"id", "parent_id"})


@strawberry.input
class CategoryCreateInput:
    name: str
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Null: a root.")
    slug: str | None = strawberry.field(default=None, description="Made from the name if null.")
    description: str | None = None
    sort_order: int = 0
    image_url: str | None = None
    is_active: bool = True


@strawberry.input
class CategoryUpdateInput:
    id: strawberry.ID
    name: str | None = UNSET
    slug: str | None = strawberry.field(default=UNSET, description="Null: made from the name.")
    description: str | None = UNSET
    sort_order: int | None = UNSET
    image_url: str | None = UNSET
    is_active: bool | None = UNSET


@strawberry.input
class CategoryMoveInput:
    id: strawberry.ID
    parent_id: strawberry.ID | None = strawberry.field(description="Null: make it a root.")


@strawberry.input
class CategoryDeleteInput:
    id: strawberry.ID


@strawberry.type
class CategoryCreatePayload:
    category: Category


@strawberry.type
class CategoryUpdatePayload:
    category: Category


@strawberry.type
class CategoryMovePayload:
    category: Category


@strawberry.type
class CategoryDeletePayload:
    deleted_id: strawberry.ID


@strawberry.type
class Query:
    @strawberry.field(description="By id or slug (exactly one); null when hidden from the caller.")
    async def category(
        self, info: Info, id: strawberry.ID | None = None, slug: str | None = None
    ) -> Category | None:
        if (id is None) == (slug is None):
            raise bad_input("Give exactly one of id and slug.", field="id")
        if id is not None:
            row = await info.context.loader(categories.categories_by_ids).load(str(id))
        else:
            row = await info.context.loader(categories.categories_by_slugs).load(str(slug))
        return await category_of(info, row)

    @strawberry.field(description="The roots, or the children of parentId, in display order.")
    async def categories(
        self, info: Info, parent_id: strawberry.ID | None = None
    ) -> list[Category]:
        if parent_id is None:
            rows = await categories.root_categories(info.context.db)
        else:
            loader = info.context.loader(categories.children_by_parent_ids)
            rows = await loader.load(str(parent_id))
        return await categories_of(info, rows)

    @strawberry.field(description="Products of the category and its descendants, newest first.")
    async def category_products(
        self, info: Info, category_id: strawberry.ID, first: int = 20, after: str | None = None
    ) -> ProductConnection:
        staff = await is_staff(info)
        row = await info.context.loader(categories.categories_by_ids).load(str(category_id))
        if row is None or not (row.is_active or staff):
            raise not_found("Category", field="categoryId")
        page = await categories.category_products(
            info.context.db, row, first=first, after=after, public_only=not staff
        )
        return ProductConnection.from_page(page)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Admins only.")
    async def category_create(
        self, info: Info, input: CategoryCreateInput
    ) -> CategoryCreatePayload:
        actor = await admin_id(info)
        row = await categories.create_category(
            info.context.db,
            given_fields(input, exclude=NOT_FIELDS),
            parent_id=str(input.parent_id) if input.parent_id else None,
            actor=actor,
        )
        return CategoryCreatePayload(category=Category.from_model(row))

    @strawberry.mutation(description="Admins only. categoryMove changes the parent.")
    async def category_update(
        self, info: Info, input: CategoryUpdateInput
    ) -> CategoryUpdatePayload:
        actor = await admin_id(info)
        row = await categories.update_category(
            info.context.db, str(input.id), given_fields(input, exclude=NOT_FIELDS), actor=actor
        )
        return CategoryUpdatePayload(category=Category.from_model(row))

    @strawberry.mutation(description="Admins only. Moves the whole subtree.")
    async def category_move(self, info: Info, input: CategoryMoveInput) -> CategoryMovePayload:
        actor = await admin_id(info)
        parent_id = str(input.parent_id) if input.parent_id else None
        row = await categories.move_category(info.context.db, str(input.id), parent_id, actor=actor)
        return CategoryMovePayload(category=Category.from_model(row))

    @strawberry.mutation(
        description="Admins only. Only a category without subcategories and products "
        "can be deleted (CATEGORY_NOT_EMPTY)."
    )
    async def category_delete(
        self, info: Info, input: CategoryDeleteInput
    ) -> CategoryDeletePayload:
        actor = await admin_id(info)
        row = await categories.delete_category(info.context.db, str(input.id), actor=actor)
        return CategoryDeletePayload(deleted_id=strawberry.ID(row.id))
