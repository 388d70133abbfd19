"""Admin mutations on product images."""

from __future__ import annotations

import strawberry

from subgraphs.products import images
from subgraphs.products.api.catalog import admin_id
from subgraphs.products.api.types import Info, Product, ProductImage, load_product


@strawberry.input
class ProductImageAddInput:
    product_id: strawberry.ID
    url: str
    alt_text: str | None = None
    is_primary: bool = strawberry.field(
        default=False, description="The product's first image is primary anyway."
    )


@strawberry.input
class ProductImageRemoveInput:
    id: strawberry.ID


@strawberry.input
class ProductImageReorderInput:
    product_id: strawberry.ID
    image_ids: list[strawberry.ID] = strawberry.field(
        description="Every image of the product, once each, in the new order."
    )


@strawberry.input
class ProductImageSetPrimaryInput:
    id: strawberry.ID


@strawberry.type
class ProductImageAddPayload:
    image: ProductImage
    product: Product | None


@strawberry.type
class ProductImageRemovePayload:
    deleted_id: strawberry.ID
    product: Product | None


@strawberry.type
class ProductImageReorderPayload:
    product: Product | None


@strawberry.type
class ProductImageSetPrimaryPayload:
    image: ProductImage
    product: Product | None


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Admins only. Appends after the product's other images.")
    async def product_image_add(
        self, info: Info, input: ProductImageAddInput
    ) -> ProductImageAddPayload:
        actor = await admin_id(info)
        row = await images.add_image(
            info.context.db,
            str(input.product_id),
            url=input.url,
            alt_text=input.alt_text,
            is_primary=input.is_primary,
            actor=actor,
        )
        product = await load_product(info, row.product_id)
        return ProductImageAddPayload(image=ProductImage.from_model(row), product=product)

    @strawberry.mutation(description="Admins only. A removed primary passes to the next image.")
    async def product_image_remove(
        self, info: Info, input: ProductImageRemoveInput
    ) -> ProductImageRemovePayload:
        actor = await admin_id(info)
        row = await images.remove_image(info.context.db, str(input.id), actor=actor)
        product = await load_product(info, row.product_id)
        return ProductImageRemovePayload(deleted_id=strawberry.ID(row.id), product=product)

    @strawberry.mutation(description="Admins only.")
    async def product_image_reorder(
        self, info: Info, input: ProductImageReorderInput
    ) -> ProductImageReorderPayload:
        actor = await admin_id(info)
        product_id = str(input.product_id)
        ids = [str(image_id) for image_id in input.image_ids]
        await images.reorder_images(info.context.db, product_id, ids, actor=actor)
        return ProductImageReorderPayload(product=await load_product(info, product_id))

    @strawberry.mutation(description="Admins only.")
    async def product_image_set_primary(
        self, info: Info, input: ProductImageSetPrimaryInput
    ) -> ProductImageSetPrimaryPayload:
        actor = await admin_id(info)
        row = await images.set_primary_image(info.context.db, str(input.id), actor=actor)
        product = await load_product(info, row.product_id)
        return ProductImageSetPrimaryPayload(image=ProductImage.from_model(row), product=product)
