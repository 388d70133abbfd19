"""Events the products service produces, on topic ``products``, keyed by product id.

Service modules import this module whole (``from subgraphs.products import events``),
so consumers defined here may import the services without an import cycle.

A product event carries what other services keep as snapshots (orders' line items,
users' wishlists): name, SKU, slug, price, status, visibility, categories, primary image.
A category event carries the category as it is after the change (before, for a delete),
keyed by the category's id.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events.consumer import Subscription
from shared.events.envelope import Event
from subgraphs.products import purchases, reservations
from subgraphs.products.models import Category, Inventory, Product

SOURCE = "products"

PRODUCT_CREATED = "product.created"
PRODUCT_UPDATED = "product.updated"
PRODUCT_ARCHIVED = "product.archived"

CATEGORY_CREATED = "category.created"
CATEGORY_UPDATED = "category.updated"
# Under another parent, its whole subtree with it; carries ``previousParentId`` too.
CATEGORY_MOVED = "category.moved"
CATEGORY_DELETED = "category.deleted"

# When a row's available stock (quantity - reserved) crosses its low-stock threshold or zero.
INVENTORY_LOW_STOCK = "inventory.low_stock"
INVENTORY_OUT_OF_STOCK = "inventory.out_of_stock"
INVENTORY_BACK_IN_STOCK = "inventory.back_in_stock"

# What the orders service publishes on topic ``orders`` and products consumes. Each
# carries ``orderId`` and ``userId``; order.delivered also its ``items``
# ([{"productId", "variantId", "quantity"}]). Orders reserves stock synchronously at
# checkout (stockReserve, with its order id), so order.created needs nothing here.
ORDER_PAID = "order.paid"
ORDER_CANCELLED = "order.cancelled"
ORDER_DELIVERED = "order.delivered"


def _money(value: object) -> str | None:
    return None if value is None else str(value)


def product_event(
    kind: str,
    product: Product,
    category_ids: list[str],
    image_url: str | None,
    *,
    actor: str,
) -> Event:
    """``product.created``, ``product.updated`` or ``product.archived`` for ``product``."""
    return Event(
        type=kind,
        source=SOURCE,
        key=product.id,
        data={
            "productId": product.id,
            "sku": product.sku,
            "name": product.name,
            "slug": product.slug,
            "price": _money(product.price),
            "compareAtPrice": _money(product.compare_at_price),
            "currency": product.currency,
            "status": product.status,
            "isVisible": product.is_visible,
            "categoryIds": category_ids,
            "imageUrl": image_url,
            "updatedAt": product.updated_at.isoformat(),
            "actor": actor,
        },
    )


def category_event(
    kind: str, category: Category, *, actor: str, previous_parent_id: str | None = None
) -> Event:
    """``category.created``, ``.updated``, ``.moved`` or ``.deleted`` for ``category``."""
    data = {
        "categoryId": category.id,
        "name": category.name,
        "slug": category.slug,
        "parentId": category.parent_id,
        "level": category.level,
        "sortOrder": category.sort_order,
        "isActive": category.is_active,
        "updatedAt": category.updated_at.isoformat(),
        "actor": actor,
    }
    if kind == CATEGORY_MOVED:
        data["previousParentId"] = previous_parent_id
    return Event(type=kind, source=SOURCE, key=category.id, data=data)


def inventory_event(kind: str, row: Inventory) -> Event:
    """``inventory.low_stock``, ``.out_of_stock`` or ``.back_in_stock`` for one row."""
    return Event(
        type=kind,
        source=SOURCE,
        key=row.product_id,
        data={
            "productId": row.product_id,
            "variantId": row.variant_id,
            "location": row.location,
            "quantity": row.quantity,
            "reserved": row.reserved,
            "available": row.available,
            "lowStockThreshold": row.low_stock_threshold,
        },
    )


async def on_order_paid(db: AsyncSession, event: Event) -> None:
    await reservations.commit_order_reservations(db, str(event.data["orderId"]))


async def on_order_cancelled(db: AsyncSession, event: Event) -> None:
    await reservations.cancel_order_reservations(db, str(event.data["orderId"]))


async def on_order_delivered(db: AsyncSession, event: Event) -> None:
    data = event.data
    product_ids = [str(item["productId"]) for item in data["items"]]
    await purchases.record_delivery(
        db, order_id=str(data["orderId"]), user_id=str(data["userId"]), product_ids=product_ids
    )


subscription = Subscription(
    service="products",
    topics=["orders"],
    handlers={
        ORDER_PAID: on_order_paid,
        ORDER_CANCELLED: on_order_cancelled,
        ORDER_DELIVERED: on_order_delivered,
    },
)
