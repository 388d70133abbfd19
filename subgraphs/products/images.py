"""Product images: ordered by ``sort_order``, exactly one primary while any exist.

The first image a product gets is its primary; removing the primary promotes the next
in order. Each write locks the product, commits, and emits product.updated for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.errors import bad_input
from subgraphs.products import catalog
from subgraphs.products.models import ProductImage

MAX_IMAGES = 50


async def images_by_product_ids(
    db: AsyncSession, product_ids: list[str]
) -> list[list[ProductImage]]:
    stmt = (
        select(ProductImage)
        .where(ProductImage.product_id == catalog.any_of(product_ids))
        .order_by(ProductImage.sort_order, ProductImage.created_at, ProductImage.id)
    )
    groups: dict[str, list[ProductImage]] = {product_id: [] for product_id in product_ids}
    for row in await db.scalars(stmt):
        groups[row.product_id].append(row)
    return [groups[product_id] for product_id in product_ids]


async def add_image(
    db: AsyncSession,
    product_id: str,
    *,
    url: str,
    alt_text: str | None = None,
    is_primary: bool = False,
    actor: str,
) -> ProductImage:
    """Append an image after the product's others."""
    product = await catalog.locked_product(db, product_id)
    clean_url = v.required(v.web_url)(url, "url")
    clean_alt = v.text(255)(alt_text, "altText")
    count, last = (
        await db.execute(
            select(func.count(), func.max(ProductImage.sort_order)).where(
                ProductImage.product_id == product.id
            )
        )
    ).one()
    if count >= MAX_IMAGES:
        raise bad_input(f"A product has at most {MAX_IMAGES} images.", field="productId")
    image = ProductImage(
        product_id=product.id,
        url=clean_url,
        alt_text=clean_alt,
        sort_order=0 if last is None else last + 1,
        is_primary=False,
    )
    db.add(image)
    await db.flush()
    if is_primary or count == 0:
        await _make_primary(db, image)
    await catalog.touched(db, product, actor=actor)
    await catalog.commit(db)
    return image


async def remove_image(db: AsyncSession, image_id: str, *, actor: str) -> ProductImage:
    image, product = await catalog.locked_child(db, ProductImage, image_id, "Image")
    await db.delete(image)
    await db.flush()
    if image.is_primary:
        successor = await db.scalar(
            select(ProductImage)
            .where(ProductImage.product_id == product.id)
            .order_by(ProductImage.sort_order, ProductImage.created_at, ProductImage.id)
            .limit(1)
        )
        if successor is not None:
            await _make_primary(db, successor)
    await catalog.touched(db, product, actor=actor)
    await catalog.commit(db)
    return image


async def set_primary_image(db: AsyncSession, image_id: str, *, actor: str) -> ProductImage:
    image, product = await catalog.locked_child(db, ProductImage, image_id, "Image")
    if not image.is_primary:
        await _make_primary(db, image)
        await catalog.touched(db, product, actor=actor)
    await catalog.commit(db)
    return image


async def reorder_images(
    db: AsyncSession, product_id: str, image_ids: Sequence[str], *, actor: str
) -> list[ProductImage]:
    """Put the product's images in the order given, which must name each of them once."""
    product = await catalog.locked_product(db, product_id)
    [images] = await images_by_product_ids(db, [product.id])
    by_id = {image.id: image for image in images}
    if len(image_ids) != len(by_id) or set(image_ids) != set(by_id):
        raise bad_input("imageIds must list each of the product's images once.", field="imageIds")
    changed = False
    for position, image_id in enumerate(image_ids):
        changed = changed or by_id[image_id].sort_order != position
        by_id[image_id].sort_order = position
    if changed:
        await catalog.touched(db, product, actor=actor)
    await catalog.commit(db)
    return [by_id[image_id] for image_id in image_ids]


async def _make_primary(db: AsyncSession, image: ProductImage) -> None:
    # Clear the old primary first: the partial unique index allows one per product.
    await db.execute(
        update(ProductImage)
        .where(ProductImage.product_id == image.product_id, ProductImage.is_primary.is_(True))
        .values(is_primary=False)
        .execution_options(synchronize_session="fetch")
    )
    image.is_primary = True
    await db.flush()
