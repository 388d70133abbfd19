"""Bulk import of products from CSV or JSON Lines, streaming.

The file is read one record at a time (``import_rows``) and written in batches, so
memory stays the same for ten rows or ten million.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from sqlalchemy import (
    DateTime,
    Insert,
    String,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.database import new_id, utcnow
from shared.errors import DomainError, bad_input, not_found
from shared.events.outbox import enqueue_many
from subgraphs.products import catalog, categories, events
from subgraphs.products import validation as pv
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.import_rows import (
    ImportFormat,
    SourceRow,
    check_type,
    decode_lines,
    read_rows,
)
from subgraphs.products.models import (
    DEFAULT_CURRENCY,
    Category,
    Product,
    ProductCategory,
    ProductImage,
    ProductStatus,
    ProductTag,
    ProductVariant,
)

BATCH_SIZE = 2000
MAX_REPORTED_REJECTIONS = 1000
# Inline content (the mutation's) is held in memory whole, so it is capped.
MAX_CONTENT_CHARS = 5_000_000
# A new product's columns where its row is silent, as the catalog creates products.
_NEW_PRODUCT: dict[str, Any] = {
    **dict.fromkeys(catalog.PRODUCT_FIELDS),
    "currency": DEFAULT_CURRENCY,
    "status": ProductStatus.DRAFT.value,
    "is_visible": True,
    "attributes": {},
}
# What an upsert of an existing SKU overwrites: never its id or creation time.
_UPDATED_COLUMNS = (
    *(name for name in catalog.PRODUCT_FIELDS if name != "sku"),
    "published_at",
    "updated_at",
)


def _no_category() -> ProductError:
    return ProductError(
        ProductErrorCode.CATEGORY_REQUIRED,
        "A product needs at least one category.",
        field="categories",
    )


@dataclass(frozen=True)
class RejectedRow:
    line: int
    code: str
    message: str
    field: str | None = None


@dataclass
class ImportReport:
    """What an import did. Only the first ``MAX_REPORTED_REJECTIONS`` rejected rows are
    listed, so a file of nothing but errors still fits in memory; ``rejected`` counts all."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def reject(self, line: int, error: DomainError) -> None:
        self.rejected += 1
        if len(self.rejected_rows) < MAX_REPORTED_REJECTIONS:
            row = RejectedRow(line, error.code.value, error.message, error.field)
            self.rejected_rows.append(row)


@dataclass(frozen=True)
class ProductRecord:
    """A row that passed the catalog's rules: product columns, and the categories and tags
    to set (None: keep the product's own)."""

    line: int
    values: dict[str, Any]
    category_ids: frozenset[str] | None
    tags: frozenset[str] | None

    @property
    def sku(self) -> str:
        return str(self.values["sku"])


@dataclass(frozen=True)
class Change:
    """The row a record makes of its product, for the upsert."""

    record: ProductRecord
    row: dict[str, Any]
    created: bool


async def import_products(
    db: AsyncSession,
    rows: Iterable[SourceRow],
    *,
    actor: str,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Create or update products by SKU from ``rows``, committing every ``batch_size``.

    A row is checked with the catalog's rules and is rejected alone, with its line and
    reason; a row that changes nothing writes nothing. Each created or changed product
    gets one product.created or product.updated event, in its batch's transaction.
    Columns a row leaves out keep the product's values; a new product needs a category.
    Batches committed before an error (a line that is not UTF-8, say) stay written.
    """
    report = ImportReport()
    index = await category_index(db)
    batch: dict[str, ProductRecord] = {}
    for row in rows:
        record = _record(row, index, report)
        if record is None:
            continue
        # A SKU met twice within a batch is written twice, in file order.
        if record.sku in batch or len(batch) >= batch_size:
            await _write_batch(db, list(batch.values()), report, actor=actor)
            batch = {}
            if on_batch is not None:
                on_batch(report)
        batch[record.sku] = record
    if batch:
        await _write_batch(db, list(batch.values()), report, actor=actor)
    report.rejected_rows.sort(key=lambda rejected: rejected.line)
    return report


async def import_content(
    db: AsyncSession, content: str, format: ImportFormat, *, actor: str
) -> ImportReport:
    """Import a file given as text (the GraphQL mutation's), at most ``MAX_CONTENT_CHARS``."""
    if len(content) > MAX_CONTENT_CHARS:
        raise ProductError(
            ProductErrorCode.IMPORT_TOO_LARGE,
            f"content must be at most {MAX_CONTENT_CHARS} characters; import larger files"
            " with `commerce import-products`.",
            field="content",
        )
    lines = io.StringIO(content, newline="")
    return await import_products(db, read_rows(lines, format), actor=actor)


async def import_file(
    db: AsyncSession,
    file: BinaryIO,
    format: ImportFormat,
    *,
    actor: str,
    on_progress: Callable[[int, ImportReport], None] | None = None,
) -> ImportReport:
    """Import a file read line by line; ``on_progress`` gets the bytes read so far and the
    report after every batch."""
    read = 0

    def count(size: int) -> None:
        nonlocal read
        read += size

    def progress(report: ImportReport) -> None:
        if on_progress is not None:
            on_progress(read, report)

    rows = read_rows(decode_lines(file, count), format)
    return await import_products(db, rows, actor=actor, on_batch=progress)


async def category_index(db: AsyncSession) -> dict[str, str]:
    """Category ids by slug and by slug path ('electronics/audio')."""
    rows = (await db.execute(select(Category.id, Category.slug, Category.parent_id))).all()
    slugs = {category_id: slug for category_id, slug, _ in rows}
    parents = {category_id: parent_id for category_id, _, parent_id in rows}
    index = {slug: category_id for category_id, slug in slugs.items()}
    for category_id in slugs:
        path: list[str] = []
        node: str | None = category_id
        while node is not None:
            path.append(slugs[node])
            node = parents[node]
        index["/".join(reversed(path))] = category_id
    return index


def _record(row: SourceRow, index: dict[str, str], report: ImportReport) -> ProductRecord | None:
    if row.error is not None:
        report.reject(row.line, bad_input(row.error))
        return None
    try:
        return _checked(row, index)
    except DomainError as error:
        report.reject(row.line, error)
        return None


def _checked(row: SourceRow, index: dict[str, str]) -> ProductRecord:
    values = dict(row.values)
    for name, value in values.items():
        check_type(name, value)
    categories = values.pop("categories", None)
    tags = values.pop("tags", None)
    cleaned = v.clean(values, catalog.PRODUCT_FIELDS)
    v.require(cleaned, catalog.PRODUCT_REQUIRED)
    pv.check_compare_at(cleaned["price"], cleaned.get("compare_at_price"), "compareAtPrice")
    return ProductRecord(
        line=row.line,
        values=cleaned,
        category_ids=None if categories is None else _category_ids(categories, index),
        tags=None if tags is None else frozenset(pv.tags(tags)),
    )


def _category_ids(references: list[str], index: dict[str, str]) -> frozenset[str]:
    if not references:
        raise _no_category()
    ids = set()
    for reference in references:
        category_id = index.get(reference.strip().strip("/"))
        if category_id is None:
            raise not_found(f"Category {reference!r}", field="categories")
        ids.add(category_id)
    return frozenset(ids)


async def _write_batch(
    db: AsyncSession, records: list[ProductRecord], report: ImportReport, *, actor: str
) -> None:
    """Upsert the records that change something, with their tags, categories and events,
    in one transaction."""
    state = await _current_state(db, [record.sku for record in records])
    changes: list[Change] = []
    for record in records:
        try:
            change = _change(record, state)
        except DomainError as error:
            report.reject(record.line, error)
            continue
        if change is None:
            report.unchanged += 1
        else:
            changes.append(change)
    changes = await _with_slugs(db, changes, report)
    if changes:
        await _upsert(db, changes, state, actor=actor)
    await db.commit()
    report.created += sum(change.created for change in changes)
    report.updated += sum(not change.created for change in changes)


@dataclass(frozen=True)
class BatchState:
    """What the database holds for a batch's SKUs: products (locked) by SKU, and their
    tags and category ids by product id."""

    products: dict[str, Product]
    variant_skus: set[str]
    tags: dict[str, set[str]]
    category_ids: dict[str, set[str]]


async def _current_state(db: AsyncSession, skus: list[str]) -> BatchState:
    # Locked in SKU order (the unique index's) until the batch commits, so a concurrent
    # edit is not lost and two imports cannot deadlock.
    products = await db.scalars(
        select(Product)
        .where(Product.sku == catalog.any_of(skus))
        .order_by(Product.sku)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    by_sku = {product.sku: product for product in products}
    ids = [product.id for product in by_sku.values()]
    variant_skus = await db.scalars(
        select(ProductVariant.sku).where(ProductVariant.sku == catalog.any_of(skus))
    )
    tags = await catalog.tags_by_product_ids(db, ids)
    groups = await categories.categories_by_product_ids(db, ids)
    return BatchState(
        products=by_sku,
        variant_skus=set(variant_skus),
        tags={product_id: set(names) for product_id, names in zip(ids, tags, strict=True)},
        category_ids={
            product_id: {category.id for category in group}
            for product_id, group in zip(ids, groups, strict=True)
        },
    )


def _change(record: ProductRecord, state: BatchState) -> Change | None:
    """The row the record makes of its product; None when that changes nothing."""
    if record.sku in state.variant_skus:
        raise ProductError(
            ProductErrorCode.DUPLICATE_SKU, f"SKU {record.sku} is a variant's.", field="sku"
        )
    product = state.products.get(record.sku)
    if product is None:
        return _creation(record)
    current = {name: getattr(product, name) for name in catalog.PRODUCT_FIELDS}
    target = {**current, **record.values}
    pv.check_transition(product.status, target["status"])
    pv.check_compare_at(target["price"], target["compare_at_price"], "compareAtPrice")
    changed = {name for name in target if target[name] != current[name]}
    if record.tags is not None and record.tags != state.tags[product.id]:
        changed.add("tags")
    if record.category_ids is not None and record.category_ids != state.category_ids[product.id]:
        changed.add("categories")
    if not changed:
        return None
    if product.status == ProductStatus.ARCHIVED and changed != {"status"}:
        raise ProductError(
            ProductErrorCode.PRODUCT_ARCHIVED,
            "The product is archived: a row may only move it back to draft.",
            field="status",
        )
    now = utcnow()
    published_at = product.published_at
    if published_at is None and target["status"] == ProductStatus.ACTIVE:
        published_at = now
    row = {**target, "id": product.id, "published_at": published_at, "updated_at": now}
    return Change(record, row, created=False)


def _creation(record: ProductRecord) -> Change:
    if record.category_ids is None:
        raise _no_category()
    now = utcnow()
    row = {**_NEW_PRODUCT, **record.values, "id": new_id(), "created_at": now, "updated_at": now}
    row["published_at"] = now if row["status"] == ProductStatus.ACTIVE else None
    return Change(record, row, created=True)


async def _with_slugs(
    db: AsyncSession, changes: list[Change], report: ImportReport
) -> list[Change]:
    """The changes whose slug is theirs alone; a new product without one gets its name's
    slug, or that slug with its SKU appended when the name's is taken."""
    wanted = {change.record.sku: _slug_choices(change) for change in changes}
    candidates = [slug for choices in wanted.values() for slug in choices]
    owners = dict(
        (
            await db.execute(
                select(Product.slug, Product.sku).where(Product.slug == catalog.any_of(candidates))
            )
        ).all()
    )
    kept = []
    for change in changes:
        sku = change.record.sku
        slug = next((s for s in wanted[sku] if owners.setdefault(s, sku) == sku), None)
        if slug is None:
            error = ProductError(
                ProductErrorCode.DUPLICATE_SLUG,
                f"Slug {wanted[sku][0]} is already in use.",
                field="slug",
            )
            report.reject(change.record.line, error)
            continue
        change.row["slug"] = slug
        kept.append(change)
    return kept


def _slug_choices(change: Change) -> list[str]:
    slug = change.row.get("slug")
    if slug is not None:
        return [slug]
    base = pv.slugify(change.row["name"])
    return [base, f"{base}-{pv.slugify(change.record.sku)}"]


async def _upsert(
    db: AsyncSession, changes: list[Change], state: BatchState, *, actor: str
) -> None:
    insert = pg_insert(Product)
    insert = insert.on_conflict_do_update(
        index_elements=[Product.sku],
        set_={name: insert.excluded[name] for name in _UPDATED_COLUMNS},
    )
    # Rows as parameters, not as VALUES: the statement is compiled once, not per batch.
    written = await db.scalars(
        insert.returning(Product),
        [change.row for change in changes],
        execution_options={"populate_existing": True},
    )
    products = {product.sku: product for product in written}
    tags = {
        products[change.record.sku].id: change.record.tags
        for change in changes
        if change.record.tags is not None
    }
    category_ids = {
        products[change.record.sku].id: change.record.category_ids
        for change in changes
        if change.record.category_ids is not None
    }
    await _replace(db, ProductTag, "tag", tags, state.tags)
    await _replace(db, ProductCategory, "category_id", category_ids, state.category_ids)
    images = await _primary_images(db, list(products.values()))
    batch_events = []
    for change in changes:
        product = products[change.record.sku]
        kept = category_ids.get(product.id) or state.category_ids.get(product.id, set())
        kind = _event_kind(change, state)
        event = events.product_event(
            kind, product, sorted(kept), images.get(product.id), actor=actor
        )
        batch_events.append(event)
    await enqueue_many(db, batch_events)


async def _replace(
    db: AsyncSession,
    model: type[ProductTag] | type[ProductCategory],
    column: str,
    wanted: dict[str, frozenset[str]],
    current: dict[str, set[str]],
) -> None:
    """Make each product's rows of ``model`` exactly ``wanted``, touching only those that
    differ (each tag row change rewrites the product's search vector)."""
    changed = {
        product_id: values
        for product_id, values in wanted.items()
        if values != current.get(product_id, set())
    }
    if not changed:
        return
    having_rows = [product_id for product_id in changed if current.get(product_id)]
    if having_rows:
        await db.execute(delete(model).where(model.product_id == catalog.any_of(having_rows)))
    links = [
        (product_id, value) for product_id, values in changed.items() for value in sorted(values)
    ]
    if links:
        await db.execute(_insert_links(model, column, links))


def _insert_links(
    model: type[ProductTag] | type[ProductCategory], column: str, links: list[tuple[str, str]]
) -> Insert:
    """One INSERT of every (product id, value) row, from arrays: a statement per row (an
    executemany) would fire the tags' search-vector trigger once per tag, not per batch."""
    rows = (
        func.unnest(
            literal([product_id for product_id, _ in links], ARRAY(String)),
            literal([value for _, value in links], ARRAY(String)),
        )
        .table_valued("product_id", "value")
        .render_derived(name="links")
    )
    row_id = cast(func.gen_random_uuid(), String)
    created_at = literal(utcnow(), DateTime(timezone=True))
    return insert(model).from_select(
        ["id", "product_id", column, "created_at"],
        select(row_id, rows.c.product_id, rows.c.value, created_at),
    )


async def _primary_images(db: AsyncSession, products: list[Product]) -> dict[str, str]:
    stmt = select(ProductImage.product_id, ProductImage.url).where(
        ProductImage.product_id == catalog.any_of([product.id for product in products]),
        ProductImage.is_primary.is_(True),
    )
    return dict((await db.execute(stmt)).all())


def _event_kind(change: Change, state: BatchState) -> str:
    if change.created:
        return events.PRODUCT_CREATED
    previous = state.products[change.record.sku].status
    if change.row["status"] == ProductStatus.ARCHIVED and previous != ProductStatus.ARCHIVED:
        return events.PRODUCT_ARCHIVED
    return events.PRODUCT_UPDATED
