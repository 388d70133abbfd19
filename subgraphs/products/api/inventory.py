"""Stock: what customers and staff see of it, staff's restock and adjustment, and the
synchronous stock operations of checkout.

The ``stock*`` operations are for the orders service, which calls this subgraph directly
with a service token (role ``service``). They are ``@inaccessible``: the router's API
schema leaves them out, so no client reaches them through it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import strawberry

from shared.auth.tokens import SERVICE_ROLE, STAFF_ROLES
from shared.graphql import Context
from subgraphs.products import catalog, inventory, models, reservations

Info = strawberry.Info[Context, None]

# strawberry.federation.enum marks the model's class as this GraphQL enum.
strawberry.federation.enum(
    models.ReservationStatus, name="StockReservationStatus", inaccessible=True
)


def _id(value: str | None) -> strawberry.ID | None:
    return strawberry.ID(value) if value is not None else None


def _str(value: strawberry.ID | None) -> str | None:
    return str(value) if value is not None else None


async def _admin_id(info: Info) -> str:
    return (await info.context.require_role(*catalog.ADMIN_ROLES)).user_id


async def _is_staff(info: Info) -> bool:
    claims = await info.context.viewer()
    return claims is not None and bool(STAFF_ROLES & claims.roles)


@strawberry.type(description="What customers see of an item's stock, at all locations.")
class ProductStock:
    in_stock: bool
    available_quantity: int

    @classmethod
    def from_rows(cls, rows: list[models.Inventory]) -> ProductStock:
        summary = inventory.StockSummary.of(rows)
        return cls(in_stock=summary.in_stock, available_quantity=summary.available)


@strawberry.type(description="Stock of a product or variant at one location.")
class InventoryLevel:
    id: strawberry.ID
    product_id: strawberry.ID
    variant_id: strawberry.ID | None
    location: str
    quantity: int
    reserved: int
    available: int = strawberry.field(description="quantity - reserved; never below 0.")
    low_stock_threshold: int
    last_restocked_at: datetime | None
    updated_at: datetime

    @classmethod
    def from_model(cls, row: models.Inventory) -> InventoryLevel:
        return cls(
            id=strawberry.ID(row.id),
            product_id=strawberry.ID(row.product_id),
            variant_id=_id(row.variant_id),
            location=row.location,
            quantity=row.quantity,
            reserved=row.reserved,
            available=row.available,
            low_stock_threshold=row.low_stock_threshold,
            last_restocked_at=row.last_restocked_at,
            updated_at=row.updated_at,
        )


async def product_stock(info: Info, product_id: str) -> ProductStock:
    rows = await info.context.loader(inventory.inventory_by_product_ids).load(product_id)
    return ProductStock.from_rows(rows)


async def variant_stock(info: Info, variant_id: str) -> ProductStock:
    rows = await info.context.loader(inventory.inventory_by_variant_ids).load(variant_id)
    return ProductStock.from_rows(rows)


async def product_inventory(info: Info, product_id: str) -> list[InventoryLevel] | None:
    """The product's rows per location, its variants' included; null unless staff."""
    if not await _is_staff(info):
        return None
    rows = await info.context.loader(inventory.inventory_by_product_ids).load(product_id)
    return [InventoryLevel.from_model(row) for row in rows]


async def variant_inventory(info: Info, variant_id: str) -> list[InventoryLevel] | None:
    if not await _is_staff(info):
        return None
    rows = await info.context.loader(inventory.inventory_by_variant_ids).load(variant_id)
    return [InventoryLevel.from_model(row) for row in rows]


@strawberry.input
class InventoryRestockInput:
    product_id: strawberry.ID
    variant_id: strawberry.ID | None = None
    location: str = models.DEFAULT_LOCATION
    quantity: int = strawberry.field(description="Units received, at least 1.")
    reason: str = strawberry.field(description="Why, for the audit: e.g. a delivery note.")
    low_stock_threshold: int | None = strawberry.field(
        default=None, description="Replaces the row's threshold when given."
    )


@strawberry.input
class InventoryAdjustInput:
    product_id: strawberry.ID
    variant_id: strawberry.ID | None = None
    location: str = models.DEFAULT_LOCATION
    delta: int = strawberry.field(description="Units to add (positive) or remove (negative).")
    reason: str = strawberry.field(description="Why, for the audit: e.g. a stock count.")


@strawberry.type
class InventoryRestockPayload:
    inventory: InventoryLevel


@strawberry.type
class InventoryAdjustPayload:
    inventory: InventoryLevel


# Checkout's operations, hidden from the router's API schema.


@strawberry.federation.input(inaccessible=True)
class StockLineInput:
    product_id: strawberry.ID
    variant_id: strawberry.ID | None = None
    quantity: int

    def to_line(self) -> reservations.StockLine:
        return reservations.StockLine(str(self.product_id), self.quantity, _str(self.variant_id))


@strawberry.federation.input(inaccessible=True)
class StockReserveInput:
    reservation_key: str = strawberry.field(description="Idempotency key, e.g. a checkout id.")
    lines: list[StockLineInput]
    order_id: strawberry.ID | None = None


@strawberry.federation.input(inaccessible=True)
class StockReservationInput:
    reservation_key: str


@strawberry.federation.type(inaccessible=True)
class StockLevel:
    product_id: strawberry.ID
    variant_id: strawberry.ID | None
    requested: int
    available: int = strawberry.field(description="The most one location can supply.")
    sufficient: bool

    @classmethod
    def from_check(cls, check: reservations.StockCheck) -> StockLevel:
        return cls(
            product_id=strawberry.ID(check.product_id),
            variant_id=_id(check.variant_id),
            requested=check.requested,
            available=check.available,
            sufficient=check.sufficient,
        )


@strawberry.federation.type(inaccessible=True)
class StockReservedLine:
    product_id: strawberry.ID
    variant_id: strawberry.ID | None
    location: str
    quantity: int


@strawberry.federation.type(inaccessible=True)
class StockReservation:
    reservation_key: str
    status: models.ReservationStatus
    order_id: strawberry.ID | None
    expires_at: datetime
    lines: list[StockReservedLine]

    @classmethod
    def from_reservation(cls, reservation: reservations.Reservation) -> StockReservation:
        lines = [
            StockReservedLine(
                product_id=strawberry.ID(line.product_id),
                variant_id=_id(line.variant_id),
                location=line.location,
                quantity=line.quantity,
            )
            for line in reservation.lines
        ]
        return cls(
            reservation_key=reservation.key,
            status=reservation.status,
            order_id=_id(reservation.order_id),
            expires_at=reservation.expires_at,
            lines=lines,
        )


@strawberry.type
class Query:
    @strawberry.federation.field(inaccessible=True, description="Services only.")
    async def stock_check(self, info: Info, lines: list[StockLineInput]) -> list[StockLevel]:
        await info.context.require_role(SERVICE_ROLE)
        checks = await reservations.check_stock(info.context.db, [line.to_line() for line in lines])
        return [StockLevel.from_check(check) for check in checks]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Admins only.")
    async def inventory_restock(
        self, info: Info, input: InventoryRestockInput
    ) -> InventoryRestockPayload:
        actor = await _admin_id(info)
        row = await inventory.restock(
            info.context.db,
            product_id=str(input.product_id),
            variant_id=_str(input.variant_id),
            location=input.location,
            quantity=input.quantity,
            reason=input.reason,
            low_stock_threshold=input.low_stock_threshold,
            actor=actor,
        )
        return InventoryRestockPayload(inventory=InventoryLevel.from_model(row))

    @strawberry.mutation(description="Admins only. Never below what is reserved.")
    async def inventory_adjust(
        self, info: Info, input: InventoryAdjustInput
    ) -> InventoryAdjustPayload:
        actor = await _admin_id(info)
        row = await inventory.adjust_stock(
            info.context.db,
            product_id=str(input.product_id),
            variant_id=_str(input.variant_id),
            location=input.location,
            delta=input.delta,
            reason=input.reason,
            actor=actor,
        )
        return InventoryAdjustPayload(inventory=InventoryLevel.from_model(row))

    @strawberry.federation.mutation(
        inaccessible=True, description="Services only. All lines or none; idempotent by key."
    )
    async def stock_reserve(self, info: Info, input: StockReserveInput) -> StockReservation:
        await info.context.require_role(SERVICE_ROLE)
        reservation = await reservations.reserve_stock(
            info.context.db,
            input.reservation_key,
            [line.to_line() for line in input.lines],
            order_id=_str(input.order_id),
            ttl=timedelta(seconds=info.context.settings.reservation_ttl_seconds),
        )
        return StockReservation.from_reservation(reservation)

    @strawberry.federation.mutation(inaccessible=True, description="Services only: paid.")
    async def stock_commit(self, info: Info, input: StockReservationInput) -> StockReservation:
        await info.context.require_role(SERVICE_ROLE)
        reservation = await reservations.commit_reservation(info.context.db, input.reservation_key)
        return StockReservation.from_reservation(reservation)

    @strawberry.federation.mutation(
        inaccessible=True, description="Services only: abandoned, or payment failed."
    )
    async def stock_release(self, info: Info, input: StockReservationInput) -> StockReservation:
        await info.context.require_role(SERVICE_ROLE)
        reservation = await reservations.release_reservation(info.context.db, input.reservation_key)
        return StockReservation.from_reservation(reservation)
