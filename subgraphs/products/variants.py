"""Product variants: a SKU of their own, an optional price override, and options such
as size and colour. Their stock lives in the inventory rows, not here.

Variants of one product differ in their options (the empty set of options included),
or a customer could not choose between them. Each write locks the product first, which
also keeps two concurrent writes from giving two variants the same options; then it
commits, and emits product.updated for the product.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.errors import DomainError, ErrorCode
from subgraphs.products import catalog
from subgraphs.products import validation as pv
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.models import Inventory, ProductVariant

VARIANT_FIELDS: dict[str, v.Validator] = {
    "sku": v.required(pv.sku),
    "name": v.text(255),
    "price": pv.price,
    "compare_at_price": pv.price,
    "attributes": pv.attributes,
    "image_url": v.web_url,
}


async def variants_by_ids(db: AsyncSession, ids: list[str]) -> list[ProductVariant | None]:
    rows = await db.scalars(select(ProductVariant).where(ProductVariant.id == catalog.any_of(ids)))
    by_id = {row.id: row for row in rows}
    return [by_id.get(variant_id) for variant_id in ids]


async def variants_by_product_ids(
    db: AsyncSession, product_ids: list[str]
) -> list[list[ProductVariant]]:
    stmt = (
        select(ProductVariant)
        .where(ProductVariant.product_id == catalog.any_of(product_ids))
        .order_by(ProductVariant.created_at, ProductVariant.id)
    )
    groups: dict[str, list[ProductVariant]] = {product_id: [] for product_id in product_ids}
    for row in await db.scalars(stmt):
        groups[row.product_id].append(row)
    return [groups[product_id] for product_id in product_ids]


async def create_variant(
    db: AsyncSession, product_id: str, fields: Mapping[str, Any], *, actor: str
) -> ProductVariant:
    """Add a variant; its name defaults to its option values ('M / Red'), else its SKU."""
    product = await catalog.locked_product(db, product_id)
    values = v.clean(fields, VARIANT_FIELDS)
    v.require(values, ("sku",))
    await catalog.ensure_sku_free(db, values["sku"])
    variant = ProductVariant(**{"product_id": product.id, "attributes": {}, **values})
    variant.name = variant.name or _name_from(variant)
    pv.check_compare_at(variant.price or product.price, variant.compare_at_price, "compareAtPrice")
    await _ensure_options_free(db, variant)
    db.add(variant)
    await catalog.touched(db, product, actor=actor)
    await catalog.commit(db)
    return variant


async def update_variant(
    db: AsyncSession, variant_id: str, changes: Mapping[str, Any], *, actor: str
) -> ProductVariant:
    """Apply the given changes; a null price falls back to the product's price."""
    variant, product = await catalog.locked_child(db, ProductVariant, variant_id, "Variant")
    values = v.clean(changes, VARIANT_FIELDS)
    if values.get("sku", variant.sku) != variant.sku:
        await catalog.ensure_sku_free(db, values["sku"])
    for name, value in values.items():
        setattr(variant, name, value)
    variant.name = variant.name or _name_from(variant)
    pv.check_compare_at(variant.price or product.price, variant.compare_at_price, "compareAtPrice")
    if "attributes" in values:
        await _ensure_options_free(db, variant)
    if db.is_modified(variant):
        await catalog.touched(db, product, actor=actor)
    await catalog.commit(db)
    return variant


async def delete_variant(db: AsyncSession, variant_id: str, *, actor: str) -> ProductVariant:
    """Delete a variant and its inventory rows; CONFLICT while any of its stock is reserved."""
    variant, product = await catalog.locked_child(db, ProductVariant, variant_id, "Variant")
    reserved = await db.scalar(
        select(func.coalesce(func.sum(Inventory.reserved), 0)).where(
            Inventory.variant_id == variant.id
        )
    )
    if reserved:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"{reserved} of this variant's stock is reserved for orders.",
            field="id",
        )
    await db.execute(delete(ProductVariant).where(ProductVariant.id == variant.id))
    await catalog.touched(db, product, actor=actor)
    await catalog.commit(db)
    return variant


async def _ensure_options_free(db: AsyncSession, variant: ProductVariant) -> None:
    """DUPLICATE_VARIANT_OPTIONS when another variant of the product has the same options."""
    # jsonb equality: the same keys and values, whatever their order.
    taken_by = await db.scalar(
        select(ProductVariant.sku).where(
            ProductVariant.product_id == variant.product_id,
            ProductVariant.attributes == variant.attributes,
            ProductVariant.id != variant.id,
        )
    )
    if taken_by is not None:
        raise ProductError(
            ProductErrorCode.DUPLICATE_VARIANT_OPTIONS,
            f"Variant {taken_by} has these options already.",
            field="attributes",
            params={"sku": taken_by},
        )


def _name_from(variant: ProductVariant) -> str:
    options = " / ".join(str(value) for value in (variant.attributes or {}).values())
    return options[:255] or variant.sku
