"""The category tree: create, update, move and delete categories, breadcrumbs, and the
products of a category and its descendants.

Each category stores its ``path``, the ids from the root down to itself each followed
by '/', and its ``level``. Descendants are then one prefix query, and a move rewrites
the moved subtree's paths and levels in one statement inside the move's transaction.
Moves, and creates under a parent, take one tree-wide lock (see ``_lock_tree``).
Writes are for admins (the resolvers check the role) and emit the category.* events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.database import new_id
from shared.errors import not_found
from shared.events.outbox import enqueue
from shared.pagination import Page, paginate
from subgraphs.products import catalog, events
from subgraphs.products import validation as pv
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.models import Category, Product, ProductCategory
from subgraphs.products.slugs import write_slug

# Who changed a category when no person did (the demo seed).
SYSTEM_ACTOR = "system"
TREE_LOCK = "products.category_tree"

CATEGORY_FIELDS: dict[str, v.Validator] = {
    "name": v.required(v.text(255)),
    "slug": pv.slug,
    "description": pv.long_text(5000),
    "sort_order": v.required(v.int_between(-1_000_000, 1_000_000)),
    "image_url": v.web_url,
    "is_active": v.flag,
}


def ancestor_ids(category: Category) -> list[str]:
    """The ids on the category's path, root first, the category itself last."""
    return category.path.rstrip("/").split("/")


# Reads, batched for DataLoaders: results in key order, None (or []) for a missing key.


async def categories_by_ids(db: AsyncSession, ids: list[str]) -> list[Category | None]:
    rows = await db.scalars(select(Category).where(Category.id == catalog.any_of(ids)))
    by_id = {row.id: row for row in rows}
    return [by_id.get(category_id) for category_id in ids]


async def categories_by_slugs(db: AsyncSession, slugs: list[str]) -> list[Category | None]:
    rows = await db.scalars(select(Category).where(Category.slug == catalog.any_of(slugs)))
    by_slug = {row.slug: row for row in rows}
    return [by_slug.get(slug) for slug in slugs]


async def children_by_parent_ids(db: AsyncSession, ids: list[str]) -> list[list[Category]]:
    stmt = (
        select(Category)
        .where(Category.parent_id == catalog.any_of(ids))
        .order_by(Category.sort_order, Category.name, Category.id)
    )
    groups: dict[str, list[Category]] = {parent_id: [] for parent_id in ids}
    for row in await db.scalars(stmt):
        groups[row.parent_id or ""].append(row)
    return [groups[parent_id] for parent_id in ids]


async def categories_by_product_ids(db: AsyncSession, ids: list[str]) -> list[list[Category]]:
    stmt = (
        select(ProductCategory.product_id, Category)
        .join(Category, Category.id == ProductCategory.category_id)
        .where(ProductCategory.product_id == catalog.any_of(ids))
        .order_by(Category.level, Category.sort_order, Category.name)
    )
    groups: dict[str, list[Category]] = {product_id: [] for product_id in ids}
    for product_id, category in await db.execute(stmt):
        groups[product_id].append(category)
    return [groups[product_id] for product_id in ids]


async def root_categories(db: AsyncSession) -> list[Category]:
    stmt = (
        select(Category)
        .where(Category.parent_id.is_(None))
        .order_by(Category.sort_order, Category.name, Category.id)
    )
    return list(await db.scalars(stmt))


async def breadcrumbs(db: AsyncSession, category: Category) -> list[Category]:
    """The category's ancestors and itself, root first: one statement."""
    rows = await categories_by_ids(db, ancestor_ids(category))
    return [row for row in rows if row is not None]


async def category_products(
    db: AsyncSession,
    category: Category,
    *,
    first: int,
    after: str | None,
    public_only: bool,
) -> Page[Product]:
    """Products in the category or any of its descendants, newest first."""
    in_subtree = (
        select(ProductCategory.product_id)
        .join(Category, Category.id == ProductCategory.category_id)
        .where(_in_subtree(category.path))
    )
    stmt = select(Product).where(Product.id.in_(in_subtree))
    if public_only:
        stmt = stmt.where(catalog.public_products())
    return await paginate(db, stmt, Product, first=first, after=after, newest_first=True)


# Writes.


async def create_category(
    db: AsyncSession,
    fields: Mapping[str, Any],
    *,
    parent_id: str | None = None,
    actor: str = SYSTEM_ACTOR,
) -> Category:
    """Create a category under ``parent_id`` (a root when None); the slug comes from the
    name when not given."""
    values = v.clean(fields, CATEGORY_FIELDS)
    v.require(values, ("name",))
    parent = None
    if parent_id:
        await _lock_tree(db)
        [parent] = await _locked(db, [parent_id], field="parentId")
    slug = values.pop("slug", None)
    category = Category(**{"id": new_id(), "sort_order": 0, "is_active": True, **values})
    _place(category, parent)
    await write_slug(db, category, slug, category.name)
    await _emit(db, category, events.CATEGORY_CREATED, actor=actor)
    await catalog.commit(db)
    return category


async def update_category(
    db: AsyncSession, category_id: str, changes: Mapping[str, Any], *, actor: str
) -> Category:
    """Apply the given changes (absent keys stay); a null slug is made from the name."""
    [category] = await _locked(db, [category_id], field="id")
    values = v.clean(changes, CATEGORY_FIELDS)
    slug = values.pop("slug", None)
    for name, value in values.items():
        setattr(category, name, value)
    if "slug" in changes and slug != category.slug:
        await write_slug(db, category, slug, category.name)
    if db.is_modified(category):
        await _emit(db, category, events.CATEGORY_UPDATED, actor=actor)
    await catalog.commit(db)
    return category


async def move_category(
    db: AsyncSession, category_id: str, parent_id: str | None, *, actor: str
) -> Category:
    """Put the category, with its whole subtree, under ``parent_id`` (a root when None).

    CATEGORY_CYCLE when the new parent is the category or one of its descendants.
    """
    await _lock_tree(db)
    ids = [category_id] if parent_id is None else [category_id, parent_id]
    locked = {row.id: row for row in await _locked(db, ids, field="id")}
    category, parent = locked[category_id], locked.get(parent_id or "")
    if parent is not None and parent.path.startswith(category.path):
        raise ProductError(
            ProductErrorCode.CATEGORY_CYCLE,
            "A category cannot move under itself or one of its descendants.",
            field="parentId",
        )
    old_path, old_level, old_parent_id = category.path, category.level, category.parent_id
    _place(category, parent)
    if category.path == old_path:
        await catalog.commit(db)
        return category
    await db.execute(
        update(Category)
        .where(_in_subtree(old_path), Category.id != category.id)
        .values(
            path=literal(category.path) + func.substr(Category.path, len(old_path) + 1),
            level=Category.level + (category.level - old_level),
        )
        .execution_options(synchronize_session=False)
    )
    await _emit(db, category, events.CATEGORY_MOVED, actor=actor, previous_parent_id=old_parent_id)
    await catalog.commit(db)
    return category


async def delete_category(db: AsyncSession, category_id: str, *, actor: str) -> Category:
    """Delete a category that has no children and no products: CATEGORY_NOT_EMPTY
    otherwise, so no product loses a category and no subtree its parent."""
    [category] = await _locked(db, [category_id], field="id")
    has_children = exists().where(Category.parent_id == category.id)
    has_products = exists().where(ProductCategory.category_id == category.id)
    if await db.scalar(select(has_children | has_products)):
        raise ProductError(
            ProductErrorCode.CATEGORY_NOT_EMPTY,
            "Only a category without subcategories and products can be deleted.",
            field="id",
        )
    await enqueue(db, events.category_event(events.CATEGORY_DELETED, category, actor=actor))
    await db.delete(category)
    await catalog.commit(db)
    return category


async def _emit(
    db: AsyncSession,
    category: Category,
    kind: str,
    *,
    actor: str,
    previous_parent_id: str | None = None,
) -> None:
    """Queue the category's event, with its timestamps as the flush writes them."""
    await catalog.flush(db)
    event = events.category_event(
        kind, category, actor=actor, previous_parent_id=previous_parent_id
    )
    await enqueue(db, event)


async def _lock_tree(db: AsyncSession) -> None:
    """Serialise the writes that compute paths from a parent's path, until commit.

    A move rewrites its subtree's paths as they were when its UPDATE began; a category
    another transaction was placing under that subtree meanwhile would keep a stale path.
    """
    await db.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(TREE_LOCK, 0))))


def _in_subtree(path: str) -> ColumnElement[bool]:
    # Paths hold ids and '/', never LIKE wildcards; a plain prefix pattern uses the
    # text_pattern_ops index.
    return Category.path.like(f"{path}%")


def _place(category: Category, parent: Category | None) -> None:
    category.parent_id = parent.id if parent else None
    category.level = parent.level + 1 if parent else 0
    category.path = f"{parent.path if parent else ''}{category.id}/"


async def _locked(db: AsyncSession, ids: Sequence[str], *, field: str) -> list[Category]:
    """The categories, locked until commit in id order (so two moves cannot deadlock)
    and read fresh; NOT_FOUND on ``field`` when one is missing."""
    rows = list(
        await db.scalars(
            select(Category)
            .where(Category.id == catalog.any_of(ids))
            .order_by(Category.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    if len(rows) != len(set(ids)):
        raise not_found("Category", field=field)
    by_id = {row.id: row for row in rows}
    return [by_id[category_id] for category_id in ids]
