"""Reservations: stock held for a checkout until its order is paid (commit), cancelled
(release), or the hold expires.

A reservation is all or nothing over its lines and has the caller's idempotency key;
its rows (one per inventory row it holds) share that key. Everything done to one key
runs under a transaction-scoped advisory lock on it, so a retried reserve, and
concurrent commits and releases of one reservation, each apply once. Holding stock is
one conditional UPDATE per line (``WHERE quantity - reserved >= n``), after the lines'
products are locked (see ``inventory``'s docstring), so available never drops below zero.

A line takes its whole quantity from one location: the one with the most available.
Public functions commit; they roll back before raising.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.errors import bad_input, not_found
from shared.settings import Settings
from shared.validation import is_id
from subgraphs.products import inventory
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.models import (
    Inventory,
    InventoryMovement,
    InventoryReservation,
    Product,
    ProductStatus,
    ProductVariant,
    ReservationStatus,
)

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(seconds=Settings.reservation_ttl_seconds)
EXPIRY_BATCH = 100
EXPIRY_SWEEP_SECONDS = 15.0
MAX_LINES = 100
MAX_LINE_QUANTITY = 100_000
SYSTEM_ACTOR = "system"

Item = tuple[str, str | None]  # (product id, variant id or None)


@dataclass(frozen=True)
class StockLine:
    """A quantity of a product, or of one of its variants."""

    product_id: str
    quantity: int
    variant_id: str | None = None


@dataclass(frozen=True)
class ReservedLine:
    product_id: str
    variant_id: str | None
    location: str
    quantity: int


@dataclass(frozen=True)
class Reservation:
    key: str
    status: ReservationStatus
    order_id: str | None
    expires_at: datetime
    lines: tuple[ReservedLine, ...]


@dataclass(frozen=True)
class StockCheck:
    """Whether ``requested`` could be reserved now: one location has that much available."""

    product_id: str
    variant_id: str | None
    requested: int
    available: int

    @property
    def sufficient(self) -> bool:
        return self.available >= self.requested


@dataclass(frozen=True)
class Transition:
    """A reservation's new status and, per unit it holds, the change of its inventory
    row's quantity and reserved."""

    to: ReservationStatus
    quantity: int
    reserved: int


@dataclass(frozen=True)
class Settlement:
    """What an operation does to a reservation in each status: ``transitions`` move it,
    statuses in ``settled`` stay as they are, any other is RESERVATION_NOT_ACTIVE."""

    transitions: Mapping[ReservationStatus, Transition]
    settled: frozenset[ReservationStatus]


RESERVED, COMMITTED = ReservationStatus.RESERVED, ReservationStatus.COMMITTED
RELEASED, EXPIRED = ReservationStatus.RELEASED, ReservationStatus.EXPIRED
COMMIT = Settlement({RESERVED: Transition(COMMITTED, -1, -1)}, frozenset({COMMITTED}))
RELEASE = Settlement({RESERVED: Transition(RELEASED, 0, -1)}, frozenset({RELEASED, EXPIRED}))
EXPIRE = Settlement({RESERVED: Transition(EXPIRED, 0, -1)}, frozenset(ReservationStatus))
# A cancelled order gives back what it held and, once paid, what it bought.
CANCEL = Settlement(
    {RESERVED: Transition(RELEASED, 0, -1), COMMITTED: Transition(RELEASED, 1, 0)},
    frozenset(ReservationStatus),
)


async def check_stock(db: AsyncSession, lines: Sequence[StockLine]) -> list[StockCheck]:
    """Per item of the lines (quantities of one item added up), the most one location has."""
    wanted = _wanted(lines)
    stmt = (
        select(Inventory.product_id, Inventory.variant_id, func.max(Inventory.available))
        .where(Inventory.product_id.in_({product_id for product_id, _ in wanted}))
        .group_by(Inventory.product_id, Inventory.variant_id)
    )
    most = {(product_id, variant_id): n for product_id, variant_id, n in await db.execute(stmt)}
    return [
        StockCheck(product_id, variant_id, quantity, most.get((product_id, variant_id), 0))
        for (product_id, variant_id), quantity in wanted.items()
    ]


async def reserve_stock(
    db: AsyncSession,
    reservation_key: str,
    lines: Sequence[StockLine],
    *,
    order_id: str | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> Reservation:
    """Hold every line's stock until committed, released, or expired after ``ttl``.

    PRODUCT_NOT_FOUND names an item that does not exist (or a variant of another
    product), PRODUCT_NOT_ACTIVE a draft or archived product, and INSUFFICIENT_STOCK the
    first item that cannot be held; then nothing is held. A retry with the same key,
    lines and order returns the first answer; other lines or another order under a used
    key are RESERVATION_KEY_REUSED.
    """
    key = _key(reservation_key)
    wanted = _wanted(lines)
    if order_id is not None and not is_id(order_id):
        raise bad_input("orderId must be an order's id.", field="orderId")
    await _lock_keys(db, [key])
    existing = await _reservations(db, [key])
    if existing:
        await db.rollback()
        return _same_request(existing[0], wanted, order_id)
    await inventory.lock_products(db, (product_id for product_id, _ in wanted))
    refusal = await _unsellable(db, wanted)
    if refusal is not None:
        await db.rollback()
        raise refusal
    expires_at = utcnow() + ttl
    held: list[ReservedLine] = []
    rows: list[Inventory] = []
    for (product_id, variant_id), quantity in sorted(wanted.items(), key=_item_order):
        row = await _hold(db, product_id, variant_id, quantity)
        if row is None:
            await db.rollback()
            raise _insufficient(product_id, variant_id, quantity)
        db.add(
            InventoryReservation(
                reservation_key=key,
                inventory_id=row.id,
                quantity=quantity,
                status=RESERVED.value,
                expires_at=expires_at,
                order_id=order_id,
            )
        )
        await inventory.announce(db, row, row.available + quantity)
        held.append(ReservedLine(product_id, variant_id, row.location, quantity))
        rows.append(row)
    await inventory.summarise(db, rows)
    await db.commit()
    return Reservation(key, RESERVED, order_id, expires_at, tuple(held))


async def commit_reservation(db: AsyncSession, reservation_key: str) -> Reservation:
    """The order is paid: the held units leave the stock (quantity and reserved drop).
    Committing again changes nothing; a released or expired one is RESERVATION_NOT_ACTIVE."""
    (reservation,) = await _settle(db, [_key(reservation_key)], COMMIT)
    return reservation


async def release_reservation(db: AsyncSession, reservation_key: str) -> Reservation:
    """The checkout was abandoned or its payment failed: the held units are available
    again. Releasing again changes nothing; a committed one is RESERVATION_NOT_ACTIVE."""
    (reservation,) = await _settle(db, [_key(reservation_key)], RELEASE)
    return reservation


async def commit_order_reservations(db: AsyncSession, order_id: str) -> list[Reservation]:
    return await _settle(db, await _keys_of_order(db, order_id), COMMIT)


async def cancel_order_reservations(db: AsyncSession, order_id: str) -> list[Reservation]:
    """Give back what a cancelled order held or, once paid, bought."""
    return await _settle(db, await _keys_of_order(db, order_id), CANCEL)


async def expire_reservations(
    db: AsyncSession, *, now: datetime | None = None, limit: int = EXPIRY_BATCH
) -> int:
    """Release up to ``limit`` reservations held past their expiry; how many expired."""
    stmt = (
        select(InventoryReservation.reservation_key)
        .where(
            InventoryReservation.status == RESERVED.value,
            InventoryReservation.expires_at <= (now or utcnow()),
        )
        .distinct()
        .limit(limit)
    )
    keys = list(await db.scalars(stmt))
    settled = await _settle(db, keys, EXPIRE)
    return sum(reservation.status is EXPIRED for reservation in settled)


async def sweep_expired(
    sessions: async_sessionmaker[AsyncSession], *, every_seconds: float = EXPIRY_SWEEP_SECONDS
) -> None:
    """Expire what is held past its expiry, every ``every_seconds``, until cancelled."""
    while True:
        try:
            async with sessions() as db:
                while await expire_reservations(db) == EXPIRY_BATCH:
                    pass
        except Exception:  # the database may be away for a while; the next sweep retries
            log.exception("expiring reservations failed")
        await asyncio.sleep(every_seconds)


async def _settle(db: AsyncSession, keys: list[str], settlement: Settlement) -> list[Reservation]:
    """Apply ``settlement`` to the reservations of ``keys`` in one transaction, and commit."""
    await _lock_keys(db, keys)
    reservations = await _reservations(db, keys)
    if len(reservations) < len(set(keys)):
        await db.rollback()
        raise not_found("Reservation", field="reservationKey")
    moves: dict[str, Transition] = {}
    for reservation in reservations:
        if reservation.status in settlement.transitions:
            moves[reservation.key] = settlement.transitions[reservation.status]
        elif reservation.status not in settlement.settled:
            await db.rollback()
            raise _not_active(reservation)
    if moves:
        products = {line.product_id for r in reservations for line in r.lines}
        await inventory.lock_products(db, products)
        await inventory.summarise(db, await _apply(db, moves))
    await db.commit()
    return [
        replace(reservation, status=moves[reservation.key].to)
        if reservation.key in moves
        else reservation
        for reservation in reservations
    ]


async def _apply(db: AsyncSession, moves: Mapping[str, Transition]) -> list[Inventory]:
    """Move the reservations' rows and their inventory rows; the inventory rows changed."""
    stmt = select(InventoryReservation).where(InventoryReservation.reservation_key.in_(moves))
    changed: list[Inventory] = []
    for line in await db.scalars(stmt.execution_options(populate_existing=True)):
        move = moves[line.reservation_key]
        delta = move.quantity * line.quantity
        values = {
            "quantity": Inventory.quantity + delta,
            "reserved": Inventory.reserved + move.reserved * line.quantity,
        }
        stmt_row = update(Inventory).where(Inventory.id == line.inventory_id).values(values)
        row = await inventory.returned(db, stmt_row)
        assert row is not None  # deleting the inventory row would have deleted the line
        if delta:
            reason = f"reservation {line.reservation_key} {move.to.value}"
            db.add(
                InventoryMovement(
                    inventory_id=row.id, delta=delta, reason=reason, actor=SYSTEM_ACTOR
                )
            )
        await inventory.announce(db, row, row.available - delta + move.reserved * line.quantity)
        line.status = move.to.value
        changed.append(row)
    return changed


async def _unsellable(db: AsyncSession, wanted: Mapping[Item, int]) -> ProductError | None:
    """Why the first item that cannot be sold cannot be; None when every item can."""
    products = select(Product.id, Product.status).where(Product.id.in_({p for p, _ in wanted}))
    variants = select(ProductVariant.id, ProductVariant.product_id).where(
        ProductVariant.id.in_({v for _, v in wanted if v is not None})
    )
    statuses = {product_id: status for product_id, status in await db.execute(products)}
    owners = {variant_id: product_id for variant_id, product_id in await db.execute(variants)}
    for product_id, variant_id in sorted(wanted, key=lambda item: (item[0], item[1] or "")):
        params = {"productId": product_id, "variantId": variant_id}
        status = statuses.get(product_id)
        if status is None or (variant_id is not None and owners.get(variant_id) != product_id):
            return ProductError(
                ProductErrorCode.PRODUCT_NOT_FOUND,
                "This item does not exist.",
                field="lines",
                params=params,
            )
        if status != ProductStatus.ACTIVE:
            return ProductError(
                ProductErrorCode.PRODUCT_NOT_ACTIVE,
                f"This product is {status}: it cannot be sold.",
                field="lines",
                params={**params, "status": status},
            )
    return None


async def _hold(
    db: AsyncSession, product_id: str, variant_id: str | None, quantity: int
) -> Inventory | None:
    """Reserve ``quantity`` at the location with the most available, if one has enough."""
    stmt = (
        select(Inventory.id)
        .where(
            Inventory.product_id == product_id,
            Inventory.variant_id.is_not_distinct_from(variant_id),
            Inventory.available >= quantity,
        )
        .order_by(Inventory.available.desc(), Inventory.location)
        .limit(1)
    )
    inventory_id = await db.scalar(stmt)
    if inventory_id is None:
        return None
    # The product is locked, so nothing changed the row since; the condition is the
    # guarantee all the same.
    hold = (
        update(Inventory)
        .where(Inventory.id == inventory_id, Inventory.quantity - Inventory.reserved >= quantity)
        .values(reserved=Inventory.reserved + quantity)
    )
    return await inventory.returned(db, hold)


async def _reservations(db: AsyncSession, keys: Iterable[str]) -> list[Reservation]:
    stmt = (
        select(InventoryReservation, Inventory)
        .join(Inventory, Inventory.id == InventoryReservation.inventory_id)
        .where(InventoryReservation.reservation_key.in_(set(keys)))
        .order_by(InventoryReservation.reservation_key, *inventory.row_order())
        .execution_options(populate_existing=True)
    )
    found: dict[str, list[tuple[InventoryReservation, Inventory]]] = {}
    for line, row in await db.execute(stmt):
        found.setdefault(line.reservation_key, []).append((line, row))
    return [_reservation(key, rows) for key, rows in found.items()]


def _reservation(key: str, rows: list[tuple[InventoryReservation, Inventory]]) -> Reservation:
    first, _ = rows[0]
    return Reservation(
        key=key,
        status=ReservationStatus(first.status),
        order_id=first.order_id,
        expires_at=first.expires_at,
        lines=tuple(
            ReservedLine(row.product_id, row.variant_id, row.location, line.quantity)
            for line, row in rows
        ),
    )


def _same_request(
    reservation: Reservation, wanted: Mapping[Item, int], order_id: str | None
) -> Reservation:
    held = {(line.product_id, line.variant_id): line.quantity for line in reservation.lines}
    if held != wanted or reservation.order_id != order_id:
        raise ProductError(
            ProductErrorCode.RESERVATION_KEY_REUSED,
            "This reservation key was used for other lines; send a new key.",
            field="reservationKey",
        )
    return reservation


async def _keys_of_order(db: AsyncSession, order_id: str) -> list[str]:
    stmt = select(InventoryReservation.reservation_key).where(
        InventoryReservation.order_id == order_id
    )
    return sorted(set(await db.scalars(stmt)))


async def _lock_keys(db: AsyncSession, keys: Iterable[str]) -> None:
    """Serialise work on the keys until the transaction ends; sorted, so transactions
    locking several keys never wait on each other in a circle."""
    for key in sorted(set(keys)):
        await db.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


def _wanted(lines: Sequence[StockLine]) -> dict[Item, int]:
    """The lines' quantities by item, added up."""
    if not 1 <= len(lines) <= MAX_LINES:
        raise bad_input(f"Send 1 to {MAX_LINES} lines.", field="lines")
    wanted: dict[Item, int] = {}
    for line in lines:
        inventory.check_range(line.quantity, 1, MAX_LINE_QUANTITY, "quantity")
        item = (line.product_id, line.variant_id)
        wanted[item] = wanted.get(item, 0) + line.quantity
    return wanted


def _key(value: str) -> str:
    key = value.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise bad_input(
            "reservationKey must be 1 to 255 printable characters.", field="reservationKey"
        )
    return key


def _item_order(entry: tuple[Item, int]) -> tuple[str, str]:
    (product_id, variant_id), _ = entry
    return product_id, variant_id or ""


def _insufficient(product_id: str, variant_id: str | None, quantity: int) -> ProductError:
    return ProductError(
        ProductErrorCode.INSUFFICIENT_STOCK,
        f"Not enough stock to reserve {quantity} of this item.",
        field="lines",
        params={"productId": product_id, "variantId": variant_id, "requested": quantity},
    )


def _not_active(reservation: Reservation) -> ProductError:
    return ProductError(
        ProductErrorCode.RESERVATION_NOT_ACTIVE,
        f"The reservation is {reservation.status.value}.",
        field="reservationKey",
        params={"status": reservation.status.value},
    )
