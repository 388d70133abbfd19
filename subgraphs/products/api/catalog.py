"""Product lookups and the admin mutations on products and their tags.

Update inputs distinguish an omitted field (left as it is) from null (cleared).
"""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from shared.errors import bad_input
from shared.graphql import Money, given_fields
from subgraphs.products import catalog
from subgraphs.products.api.types import Info, Product, load_product, product_of
from subgraphs.products.models import ProductStatus

UNSET = strawberry.UNSET
NOT_FIELDS = frozenset({"id", "category_ids", "tags"})


async def admin_id(info: Info) -> str:
    """The caller's user id, once they are known to be an admin."""
    return (await info.context.require_role(*catalog.ADMIN_ROLES)).user_id


@strawberry.input
class ProductCreateInput:
    sku: str
    name: str
    price: Money
    category_ids: list[strawberry.ID] = strawberry.field(description="At least one.")
    slug: str | None = strawberry.field(default=None, description="Made from the name if null.")
    description: str | None = None
    short_description: str | None = None
    currency: str = strawberry.field(default="USD", description="ISO 4217.")
    compare_at_price: Money | None = None
    cost_price: Money | None = None
    status: ProductStatus = ProductStatus.DRAFT
    is_visible: bool = True
    weight: Decimal | None = None
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    meta_title: str | None = None
    meta_description: str | None = None
    attributes: JSON | None = None
    tags: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class ProductUpdateInput:
    id: strawberry.ID
    sku: str | None = UNSET
    name: str | None = UNSET
    price: Money | None = UNSET
    category_ids: list[strawberry.ID] | None = UNSET
    slug: str | None = strawberry.field(default=UNSET, description="Null: made from the name.")
    description: str | None = UNSET
    short_description: str | None = UNSET
    currency: str | None = UNSET
    compare_at_price: Money | None = UNSET
    cost_price: Money | None = UNSET
    status: ProductStatus | None = UNSET
    is_visible: bool | None = UNSET
    weight: Decimal | None = UNSET
    length: Decimal | None = UNSET
    width: Decimal | None = UNSET
    height: Decimal | None = UNSET
    meta_title: str | None = UNSET
    meta_description: str | None = UNSET
    attributes: JSON | None = UNSET


@strawberry.input
class ProductArchiveInput:
    id: strawberry.ID


@strawberry.input
class ProductTagsSetInput:
    product_id: strawberry.ID
    tags: list[str] = strawberry.field(description="Replaces every tag; normalised to lower case.")


@strawberry.type
class ProductCreatePayload:
    product: Product


@strawberry.type
class ProductUpdatePayload:
    product: Product


@strawberry.type
class ProductArchivePayload:
    product: Product


@strawberry.type
class ProductTagsSetPayload:
    product: Product


@strawberry.type
class Query:
    @strawberry.field(description="By id or slug (exactly one); null when hidden from the caller.")
    async def product(
        self, info: Info, id: strawberry.ID | None = None, slug: str | None = None
    ) -> Product | None:
        if (id is None) == (slug is None):
            raise bad_input("Give exactly one of id and slug.", field="id")
        if id is not None:
            return await load_product(info, str(id))
        row = await info.context.loader(catalog.products_by_slugs).load(str(slug))
        return await product_of(info, row)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Admins only.")
    async def product_create(self, info: Info, input: ProductCreateInput) -> ProductCreatePayload:
        actor = await admin_id(info)
        row = await catalog.create_product(
            info.context.db,
            given_fields(input, exclude=NOT_FIELDS),
            category_ids=[str(c) for c in input.category_ids],
            tags=input.tags,
            actor=actor,
        )
        return ProductCreatePayload(product=Product.from_model(row))

    @strawberry.mutation(description="Admins only.")
    async def product_update(self, info: Info, input: ProductUpdateInput) -> ProductUpdatePayload:
        actor = await admin_id(info)
        # Omitted: unchanged; null: none, which the service refuses.
        given = input.category_ids
        category_ids = None if given is UNSET else [str(c) for c in given or []]
        row = await catalog.update_product(
            info.context.db,
            str(input.id),
            given_fields(input, exclude=NOT_FIELDS),
            category_ids=category_ids,
            actor=actor,
        )
        return ProductUpdatePayload(product=Product.from_model(row))

    @strawberry.mutation(description="Admins only. Hides the product from customers.")
    async def product_archive(
        self, info: Info, input: ProductArchiveInput
    ) -> ProductArchivePayload:
        actor = await admin_id(info)
        row = await catalog.archive_product(info.context.db, str(input.id), actor=actor)
        return ProductArchivePayload(product=Product.from_model(row))

    @strawberry.mutation(description="Admins only.")
    async def product_tags_set(
        self, info: Info, input: ProductTagsSetInput
    ) -> ProductTagsSetPayload:
        actor = await admin_id(info)
        product_id = str(input.product_id)
        row = await catalog.set_tags(info.context.db, product_id, input.tags, actor=actor)
        return ProductTagsSetPayload(product=Product.from_model(row))
