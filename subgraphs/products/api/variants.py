"""Admin mutations on product variants."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from shared.graphql import Money, given_fields
from subgraphs.products import variants
from subgraphs.products.api.catalog import UNSET, admin_id
from subgraphs.products.api.types import Info, ProductVariant

ID_ONLY = frozenset({"id", "product_id"})


@strawberry.input
class ProductVariantCreateInput:
    product_id: strawberry.ID
    sku: str
    name: str | None = strawberry.field(default=None, description="Default: the option values.")
    price: Money | None = strawberry.field(default=None, description="Default: the product's.")
    compare_at_price: Money | None = None
    attributes: JSON | None = strawberry.field(default=None, description='{"size": "M"}')
    image_url: str | None = None


@strawberry.input
class ProductVariantUpdateInput:
    id: strawberry.ID
    sku: str | None = UNSET
    name: str | None = UNSET
    price: Money | None = UNSET
    compare_at_price: Money | None = UNSET
    attributes: JSON | None = UNSET
    image_url: str | None = UNSET


@strawberry.input
class ProductVariantDeleteInput:
    id: strawberry.ID


@strawberry.type
class ProductVariantCreatePayload:
    variant: ProductVariant


@strawberry.type
class ProductVariantUpdatePayload:
    variant: ProductVariant


@strawberry.type
class ProductVariantDeletePayload:
    deleted_id: strawberry.ID


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Admins only.")
    async def product_variant_create(
        self, info: Info, input: ProductVariantCreateInput
    ) -> ProductVariantCreatePayload:
        actor = await admin_id(info)
        row = await variants.create_variant(
            info.context.db,
            str(input.product_id),
            given_fields(input, exclude=ID_ONLY),
            actor=actor,
        )
        return ProductVariantCreatePayload(variant=ProductVariant.from_model(row))

    @strawberry.mutation(description="Admins only.")
    async def product_variant_update(
        self, info: Info, input: ProductVariantUpdateInput
    ) -> ProductVariantUpdatePayload:
        actor = await admin_id(info)
        row = await variants.update_variant(
            info.context.db, str(input.id), given_fields(input, exclude=ID_ONLY), actor=actor
        )
        return ProductVariantUpdatePayload(variant=ProductVariant.from_model(row))

    @strawberry.mutation(description="Admins only. Deletes the variant's inventory rows too.")
    async def product_variant_delete(
        self, info: Info, input: ProductVariantDeleteInput
    ) -> ProductVariantDeletePayload:
        actor = await admin_id(info)
        row = await variants.delete_variant(info.context.db, str(input.id), actor=actor)
        return ProductVariantDeletePayload(deleted_id=strawberry.ID(row.id))
