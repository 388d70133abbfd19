"""The catalog's products: create, update, archive, tags, who may see them, and the
product.created/updated/archived events.

Writes are for admins (the resolvers check the role); every write locks the product
row first, so concurrent changes to one product (its images, say) run one at a time,
and commits with exactly one event for the product it changed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

from sqlalchemy import ColumnElement, String, any_, delete, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.auth.tokens import STAFF_ROLES
from shared.database import utcnow
from shared.errors import not_found
from shared.events.outbox import enqueue
from subgraphs.products import events
from subgraphs.products import validation as pv
from subgraphs.products.errors import ProductError, ProductErrorCode, conflict_error
from subgraphs.products.models import (
    Category,
    Product,
    ProductCategory,
    ProductImage,
    ProductStatus,
    ProductTag,
    ProductVariant,
    Sku,
)
from subgraphs.products.slugs import write_slug

Child = TypeVar("Child", ProductVariant, ProductImage)

ADMIN_ROLES = frozenset({"admin"})

PRODUCT_FIELDS: dict[str, v.Validator] = {
    "sku": v.required(pv.sku),
    "name": v.required(v.text(255)),
    "slug": pv.slug,
    "description": pv.long_text(20000),
    "short_description": pv.long_text(500),
    "price": v.required(pv.price),
    "currency": v.required(v.currency_code),
    "compare_at_price": pv.price,
    "cost_price": pv.cost,
    "status": v.required(v.choice(ProductStatus)),
    "is_visible": v.flag,
    "weight": pv.measure,
    "length": pv.measure,
    "width": pv.measure,
    "height": pv.measure,
    "meta_title": v.text(255),
    "meta_description": v.text(500),
    "attributes": pv.attributes,
}
PRODUCT_REQUIRED = ("sku", "name", "price")


def can_see(product: Product, roles: Collection[str]) -> bool:
    """Staff see every product; customers and anonymous callers only public ones."""
    return product.is_public() or bool(STAFF_ROLES.intersection(roles))


def public_products() -> ColumnElement[bool]:
    """The SQL form of ``Product.is_public``."""
    return (Product.status == ProductStatus.ACTIVE.value) & Product.is_visible.is_(True)


def any_of(ids: Sequence[str]) -> ColumnElement[Any]:
    # One array parameter, so N keys make one statement with one stable text.
    return any_(literal(list(ids), ARRAY(String)))


# Reads, batched for DataLoaders: results in key order, None (or []) for a missing key.


async def products_by_ids(db: AsyncSession, ids: list[str]) -> list[Product | None]:
    rows = await db.scalars(select(Product).where(Product.id == any_of(ids)))
    by_id = {row.id: row for row in rows}
    return [by_id.get(product_id) for product_id in ids]


async def products_by_slugs(db: AsyncSession, slugs: list[str]) -> list[Product | None]:
    rows = await db.scalars(select(Product).where(Product.slug == any_of(slugs)))
    by_slug = {row.slug: row for row in rows}
    return [by_slug.get(slug) for slug in slugs]


async def tags_by_product_ids(db: AsyncSession, ids: list[str]) -> list[list[str]]:
    stmt = (
        select(ProductTag.product_id, ProductTag.tag)
        .where(ProductTag.product_id == any_of(ids))
        .order_by(ProductTag.tag)
    )
    groups: dict[str, list[str]] = {product_id: [] for product_id in ids}
    for product_id, tag in await db.execute(stmt):
        groups[product_id].append(tag)
    return [groups[product_id] for product_id in ids]


# Writes.


async def create_product(
    db: AsyncSession,
    fields: Mapping[str, Any],
    *,
    category_ids: Sequence[str],
    tags: Sequence[str] = (),
    actor: str,
) -> Product:
    """Create a product in its categories; a draft unless ``fields`` says otherwise.

    The slug comes from the name when not given, with a numeric suffix when taken.
    """
    values = v.clean(fields, PRODUCT_FIELDS)
    v.require(values, PRODUCT_REQUIRED)
    pv.check_compare_at(values["price"], values.get("compare_at_price"), "compareAtPrice")
    categories = await _categories(db, category_ids)
    tag_names = pv.tags(tags)
    await ensure_sku_free(db, values["sku"])
    status = values.pop("status", ProductStatus.DRAFT.value)
    slug = values.pop("slug", None)
    product = Product(
        **{"currency": "USD", "is_visible": True, "attributes": {}, **values},
        status=ProductStatus.DRAFT.value,
    )
    _move_to(product, status)
    await write_slug(db, product, slug, product.name)
    db.add_all(ProductCategory(product_id=product.id, category_id=c.id) for c in categories)
    db.add_all(ProductTag(product_id=product.id, tag=tag) for tag in tag_names)
    await emit(db, product, events.PRODUCT_CREATED, actor=actor)
    await commit(db)
    return product


async def update_product(
    db: AsyncSession,
    product_id: str,
    changes: Mapping[str, Any],
    *,
    category_ids: Sequence[str] | None = None,
    actor: str,
) -> Product:
    """Apply the given changes (absent keys stay); a null slug is made from the name.

    An archived product changes only by going back to draft.
    """
    product = await locked_product(db, product_id, editable=False)
    values = v.clean(changes, PRODUCT_FIELDS)
    status = values.pop("status", product.status)
    if product.status == ProductStatus.ARCHIVED and (values or category_ids is not None):
        raise _archived()
    if values.get("sku", product.sku) != product.sku:
        await ensure_sku_free(db, values["sku"])
    slug = values.pop("slug", None)
    for name, value in values.items():
        setattr(product, name, value)
    pv.check_compare_at(product.price, product.compare_at_price, "compareAtPrice")
    previous = product.status
    _move_to(product, status)
    if "slug" in changes and slug != product.slug:
        await write_slug(db, product, slug, product.name)
    categories_changed = category_ids is not None and await _set_categories(
        db, product.id, category_ids
    )
    if db.is_modified(product) or categories_changed:
        archived = status == ProductStatus.ARCHIVED and previous != status
        kind = events.PRODUCT_ARCHIVED if archived else events.PRODUCT_UPDATED
        await emit(db, product, kind, actor=actor)
    await commit(db)
    return product


async def archive_product(db: AsyncSession, product_id: str, *, actor: str) -> Product:
    """Archive the product: hidden from customers, kept for orders that name it."""
    return await update_product(db, product_id, {"status": ProductStatus.ARCHIVED}, actor=actor)


async def set_tags(
    db: AsyncSession, product_id: str, tags: Sequence[str], *, actor: str
) -> Product:
    """Replace the product's tags with ``tags``, normalised."""
    product = await locked_product(db, product_id)
    wanted = set(pv.tags(tags))
    current = set(
        await db.scalars(select(ProductTag.tag).where(ProductTag.product_id == product.id))
    )
    if wanted != current:
        await db.execute(
            delete(ProductTag).where(
                ProductTag.product_id == product.id, ProductTag.tag.not_in(wanted)
            )
        )
        db.add_all(ProductTag(product_id=product.id, tag=tag) for tag in wanted - current)
        await touched(db, product, actor=actor)
    await commit(db)
    return product


# Helpers the variant and image services share.


async def locked_product(db: AsyncSession, product_id: str, *, editable: bool = True) -> Product:
    """The product, locked until commit; NOT_FOUND, or PRODUCT_ARCHIVED when ``editable``."""
    product = await db.scalar(
        select(Product)
        .where(Product.id == product_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if product is None:
        raise not_found("Product", field="productId")
    if editable and product.status == ProductStatus.ARCHIVED:
        raise _archived()
    return product


async def locked_child(
    db: AsyncSession, model: type[Child], child_id: str, what: str
) -> tuple[Child, Product]:
    """A variant or image as it is once its product is locked, and the product."""
    product_id = await db.scalar(select(model.product_id).where(model.id == child_id))
    product = await locked_product(db, product_id) if product_id else None
    child = await db.get(model, child_id, populate_existing=True) if product else None
    if product is None or child is None:
        raise not_found(what, field="id")
    return child, product


async def touched(db: AsyncSession, product: Product, *, actor: str) -> None:
    """Record that something of the product's changed: its updated_at and its event."""
    product.updated_at = utcnow()
    await emit(db, product, events.PRODUCT_UPDATED, actor=actor)


async def emit(db: AsyncSession, product: Product, kind: str, *, actor: str) -> None:
    """Queue the product's event in this transaction, with its categories and image."""
    await flush(db)
    category_ids = list(
        await db.scalars(
            select(ProductCategory.category_id)
            .where(ProductCategory.product_id == product.id)
            .order_by(ProductCategory.category_id)
        )
    )
    image_url = await db.scalar(
        select(ProductImage.url).where(
            ProductImage.product_id == product.id, ProductImage.is_primary.is_(True)
        )
    )
    await enqueue(db, events.product_event(kind, product, category_ids, image_url, actor=actor))


async def commit(db: AsyncSession) -> None:
    """Commit; a unique constraint broken by a concurrent writer becomes its domain error."""
    try:
        await db.commit()
    except IntegrityError as error:
        await _raise_conflict(db, error)


async def flush(db: AsyncSession) -> None:
    """Flush, with ``commit``'s errors: a unique constraint is checked at the write."""
    try:
        await db.flush()
    except IntegrityError as error:
        await _raise_conflict(db, error)


async def _raise_conflict(db: AsyncSession, error: IntegrityError) -> NoReturn:
    await db.rollback()
    conflict = conflict_error(error)
    if conflict is None:
        raise error
    raise conflict from None


async def ensure_sku_free(db: AsyncSession, sku: str, *, field: str = "sku") -> None:
    """SKUs are unique across products and variants, which both end up on order lines.

    This check answers with the SKU in its message; between concurrent writers the
    ``skus`` registry's primary key decides (DUPLICATE_SKU from ``flush`` or ``commit``)."""
    if await db.scalar(select(Sku.sku).where(Sku.sku == sku)) is not None:
        raise ProductError(
            ProductErrorCode.DUPLICATE_SKU, f"SKU {sku} is already in use.", field=field
        )


def _move_to(product: Product, status: str) -> None:
    pv.check_transition(product.status, status)
    product.status = status
    if status == ProductStatus.ACTIVE and product.published_at is None:
        product.published_at = utcnow()


async def _categories(db: AsyncSession, ids: Sequence[str]) -> list[Category]:
    """The categories named, all of which must exist; at least one."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise ProductError(
            ProductErrorCode.CATEGORY_REQUIRED,
            "A product needs at least one category.",
            field="categoryIds",
        )
    found = list(await db.scalars(select(Category).where(Category.id == any_of(wanted))))
    if len(found) != len(wanted):
        raise not_found("Category", field="categoryIds")
    return found


async def _set_categories(db: AsyncSession, product_id: str, ids: Sequence[str]) -> bool:
    """Make the product's categories exactly ``ids``; True when that changed them."""
    wanted = {category.id for category in await _categories(db, ids)}
    current = set(
        await db.scalars(
            select(ProductCategory.category_id).where(ProductCategory.product_id == product_id)
        )
    )
    if wanted == current:
        return False
    await db.execute(
        delete(ProductCategory).where(
            ProductCategory.product_id == product_id, ProductCategory.category_id.not_in(wanted)
        )
    )
    db.add_all(ProductCategory(product_id=product_id, category_id=c) for c in wanted - current)
    return True


def _archived() -> ProductError:
    return ProductError(
        ProductErrorCode.PRODUCT_ARCHIVED,
        "The product is archived: move it back to draft before changing it.",
        field="status",
    )
