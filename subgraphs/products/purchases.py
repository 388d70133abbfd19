"""Delivered orders, as orders' events report them: who bought what (which makes their
reviews verified purchases) and which products are bought together."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import permutations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import utcnow
from subgraphs.products.models import Product, ProductPair, Review, VerifiedPurchase


async def record_delivery(
    db: AsyncSession, *, order_id: str, user_id: str, product_ids: Sequence[str]
) -> None:
    """The user received these products: mark their reviews of them verified, and count
    every two of them as bought together once (in both directions). Products deleted
    since are left out. Commits."""
    stmt = select(Product.id).where(Product.id.in_(set(product_ids))).order_by(Product.id)
    bought = list(await db.scalars(stmt))
    if bought:
        purchases = [
            {"user_id": user_id, "product_id": product_id, "order_id": order_id}
            for product_id in bought
        ]
        await db.execute(insert(VerifiedPurchase).values(purchases).on_conflict_do_nothing())
        await db.execute(
            update(Review)
            .where(Review.user_id == user_id, Review.product_id.in_(bought))
            .values(is_verified_purchase=True)
        )
    pairs = [{"product_id": a, "other_product_id": b} for a, b in permutations(bought, 2)]
    if pairs:
        # Sorted rows, so concurrent deliveries lock shared pairs in one order.
        new = insert(ProductPair).values(pairs)
        await db.execute(
            new.on_conflict_do_update(
                index_elements=[ProductPair.product_id, ProductPair.other_product_id],
                set_={
                    "times_bought_together": ProductPair.times_bought_together + 1,
                    "updated_at": utcnow(),
                },
            )
        )
    await db.commit()


async def has_bought(db: AsyncSession, user_id: str, product_id: str) -> bool:
    stmt = select(VerifiedPurchase.user_id).where(
        VerifiedPurchase.user_id == user_id, VerifiedPurchase.product_id == product_id
    )
    return await db.scalar(stmt) is not None
