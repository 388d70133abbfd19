"""Stock per product or variant and location: reads, restock and adjustment by staff, the
products' stock summaries and the stock events. Reservations are in ``reservations.py``.

available = quantity - reserved never drops below zero: whatever lowers it is one
conditional UPDATE, and the table's CHECK constraints back that up. A transaction that
changes stock first locks the products it touches, sorted by id, as the catalog's writes
do; so two of them, or one and a catalog write, never wait on each other in a circle.
Public functions commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Insert,
    ScalarSelect,
    Update,
    case,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.database import utcnow
from shared.errors import bad_input, not_found
from shared.events.outbox import enqueue
from subgraphs.products import events
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.models import (
    DEFAULT_LOCATION,
    Inventory,
    InventoryMovement,
    Product,
    ProductVariant,
    StockStatus,
)

MAX_STOCK_CHANGE = 1_000_000


@dataclass(frozen=True)
class StockSummary:
    """What customers see of an item's stock: its rows at every location, added up."""

    available: int

    @property
    def in_stock(self) -> bool:
        return self.available > 0

    @classmethod
    def of(cls, rows: Iterable[Inventory]) -> StockSummary:
        return cls(available=sum(row.available for row in rows))


# Reads, batched for DataLoaders: rows in key order, by location.


async def inventory_by_product_ids(db: AsyncSession, ids: list[str]) -> list[list[Inventory]]:
    """Each product's inventory rows, its variants' included."""
    stmt = select(Inventory).where(Inventory.product_id.in_(ids)).order_by(*row_order())
    return _grouped(ids, await db.scalars(stmt), lambda row: row.product_id)


async def inventory_by_variant_ids(db: AsyncSession, ids: list[str]) -> list[list[Inventory]]:
    stmt = select(Inventory).where(Inventory.variant_id.in_(ids)).order_by(*row_order())
    return _grouped(ids, await db.scalars(stmt), lambda row: row.variant_id)


# Staff's changes, each recorded as a movement.


async def restock(
    db: AsyncSession,
    *,
    product_id: str,
    quantity: int,
    reason: str,
    actor: str,
    variant_id: str | None = None,
    location: str = DEFAULT_LOCATION,
    low_stock_threshold: int | None = None,
) -> Inventory:
    """Add ``quantity`` units at ``location``, creating the inventory row on first use;
    ``low_stock_threshold``, when given, replaces the row's."""
    check_range(quantity, 1, MAX_STOCK_CHANGE, "quantity")
    if low_stock_threshold is not None:
        check_range(low_stock_threshold, 0, MAX_STOCK_CHANGE, "lowStockThreshold")
    reason, location = _reason(reason, "reason"), _location(location, "location")
    await lock_products(db, [product_id])
    await _ensure_item(db, product_id, variant_id)
    now = utcnow()
    new = insert(Inventory).values(
        product_id=product_id,
        variant_id=variant_id,
        location=location,
        quantity=quantity,
        low_stock_threshold=low_stock_threshold or 0,
        last_restocked_at=now,
    )
    kept_threshold = Inventory.low_stock_threshold
    stmt = new.on_conflict_do_update(
        constraint="uq_product_inventory_item_location",
        set_={
            "quantity": Inventory.quantity + quantity,
            "low_stock_threshold": kept_threshold
            if low_stock_threshold is None
            else new.excluded.low_stock_threshold,
            "last_restocked_at": now,
            "updated_at": now,
        },
    )
    row = await returned(db, stmt)
    assert row is not None  # an upsert always writes its row
    await _record_change(db, row, quantity, reason, actor)
    return row


async def adjust_stock(
    db: AsyncSession,
    *,
    product_id: str,
    delta: int,
    reason: str,
    actor: str,
    variant_id: str | None = None,
    location: str = DEFAULT_LOCATION,
) -> Inventory:
    """Correct the quantity by ``delta`` (a count, damage, a loss): never below reserved
    (STOCK_BELOW_RESERVED), and only of an existing row (NOT_FOUND)."""
    if delta == 0:
        raise bad_input("delta must not be 0.", field="delta")
    check_range(abs(delta), 1, MAX_STOCK_CHANGE, "delta")
    reason, location = _reason(reason, "reason"), _location(location, "location")
    await lock_products(db, [product_id])
    found = await db.scalar(
        select(Inventory)
        .where(
            Inventory.product_id == product_id,
            Inventory.variant_id.is_not_distinct_from(variant_id),
            Inventory.location == location,
        )
        .execution_options(populate_existing=True)
    )
    if found is None:
        await db.rollback()
        raise not_found("Inventory", field="location")
    if found.quantity + delta < found.reserved:
        error = ProductError(
            ProductErrorCode.STOCK_BELOW_RESERVED,
            f"The quantity cannot go below the {found.reserved} units reserved.",
            field="delta",
            params={"quantity": found.quantity, "reserved": found.reserved},
        )
        await db.rollback()
        raise error
    stmt = (
        update(Inventory)
        .where(Inventory.id == found.id)
        .values(quantity=Inventory.quantity + delta, updated_at=utcnow())
    )
    row = await returned(db, stmt)
    assert row is not None  # locked with its product
    await _record_change(db, row, delta, reason, actor)
    return row


async def _record_change(
    db: AsyncSession, row: Inventory, delta: int, reason: str, actor: str
) -> None:
    db.add(InventoryMovement(inventory_id=row.id, delta=delta, reason=reason, actor=actor))
    await announce(db, row, row.available - delta)
    await summarise(db, [row])
    await db.commit()


async def _ensure_item(db: AsyncSession, product_id: str, variant_id: str | None) -> None:
    if variant_id is None:
        if await db.scalar(select(Product.id).where(Product.id == product_id)) is None:
            await db.rollback()
            raise not_found("Product", field="productId")
        return
    found = await db.scalar(
        select(ProductVariant.id).where(
            ProductVariant.id == variant_id, ProductVariant.product_id == product_id
        )
    )
    if found is None:
        await db.rollback()
        raise not_found("Variant", field="variantId")


# What every stock change shares.


async def lock_products(db: AsyncSession, product_ids: Iterable[str]) -> None:
    """Lock the products until commit, in id order (see the module's docstring)."""
    stmt = (
        select(Product.id)
        .where(Product.id.in_(set(product_ids)))
        .order_by(Product.id)
        .with_for_update(key_share=True)
    )
    await db.execute(stmt)


async def returned(db: AsyncSession, stmt: Insert | Update) -> Inventory | None:
    """The inventory row an INSERT or UPDATE wrote, as it is now; None if it wrote none."""
    returning = stmt.returning(Inventory).execution_options(populate_existing=True)
    return (await db.scalars(returning)).first()


async def announce(db: AsyncSession, row: Inventory, before: int) -> None:
    """Enqueue the stock event that a change of the row's available from ``before`` is."""
    kind = stock_signal(before, row.available, row.low_stock_threshold)
    if kind is not None:
        await enqueue(db, events.inventory_event(kind, row))


def stock_signal(before: int, after: int, threshold: int) -> str | None:
    """The event a change of available stock from ``before`` to ``after`` is, if any."""
    if after <= 0 < before:
        return events.INVENTORY_OUT_OF_STOCK
    if before <= 0 < after:
        return events.INVENTORY_BACK_IN_STOCK
    if after <= threshold < before:
        return events.INVENTORY_LOW_STOCK
    return None


async def summarise(db: AsyncSession, rows: Iterable[Inventory]) -> None:
    """Refresh ``stock_quantity`` (available, added up) and ``stock_status`` of the rows'
    products and variants."""
    rows = list(rows)
    for product_id in sorted({row.product_id for row in rows}):
        total = _available_where(Inventory.product_id == product_id)
        stmt = update(Product).where(Product.id == product_id).values(_summary(total))
        await db.execute(_refreshing(stmt, Product))
    for variant_id in sorted({row.variant_id for row in rows if row.variant_id is not None}):
        total = _available_where(Inventory.variant_id == variant_id)
        stmt = update(ProductVariant).where(ProductVariant.id == variant_id)
        await db.execute(_refreshing(stmt.values(_summary(total)), ProductVariant))


def _refreshing(stmt: Update, model: type[Product] | type[ProductVariant]) -> Update:
    """The UPDATE, also refreshing the row this session may hold, else left stale."""
    return stmt.returning(model).execution_options(populate_existing=True)


def _available_where(condition: ColumnElement[bool]) -> ScalarSelect[int]:
    total = func.coalesce(func.sum(Inventory.available), 0)
    return select(total).where(condition).scalar_subquery()


def _summary(total: ScalarSelect[int]) -> dict[str, object]:
    status = case((total > 0, StockStatus.IN_STOCK.value), else_=StockStatus.OUT_OF_STOCK.value)
    return {"stock_quantity": total, "stock_status": status}


def row_order() -> tuple[ColumnExpressionArgument[object], ...]:
    return (Inventory.product_id, Inventory.variant_id.nulls_first(), Inventory.location)


def check_range(value: int, low: int, high: int, field: str) -> None:
    if not low <= value <= high:
        raise bad_input(f"{field} must be between {low} and {high}.", field=field)


_reason = v.required(v.text(255))
_location = v.required(v.text(100))


def _grouped(
    ids: list[str], rows: Iterable[Inventory], key: Callable[[Inventory], str | None]
) -> list[list[Inventory]]:
    by_id: dict[str | None, list[Inventory]] = {id_: [] for id_ in ids}
    for row in rows:
        by_id[key(row)].append(row)
    return [by_id[id_] for id_ in ids]
