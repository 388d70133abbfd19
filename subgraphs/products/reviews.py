"""Product reviews: one per user and product, moderated before customers see them, voted
helpful by others, and the product's ``average_rating``/``review_count`` over its approved
reviews, kept in the transaction that changes what counts.

A change to what counts locks the product first (as the catalog's writes do), so two
moderators approving reviews of one product at once both end up counted. Whether a review
is a verified purchase comes from orders' events (``purchases``), never from the client.
Writes commit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.auth.tokens import STAFF_ROLES
from shared.errors import bad_input, forbidden, not_found
from shared.pagination import Page, paginate
from subgraphs.products import catalog, purchases
from subgraphs.products import validation as pv
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.models import Product, Review, ReviewVote

MAX_TITLE = 150
MAX_COMMENT = 5000


def _rating(value: int | None, field: str) -> int | None:
    if value is not None and not 1 <= value <= 5:
        raise bad_input(f"{field} must be between 1 and 5.", field=field)
    return value


REVIEW_FIELDS: dict[str, v.Validator] = {
    "rating": v.required(_rating),
    "title": v.text(MAX_TITLE),
    "comment": pv.long_text(MAX_COMMENT),
}


def is_staff(roles: Collection[str]) -> bool:
    return bool(STAFF_ROLES.intersection(roles))


def visible_to(user_id: str | None, roles: Collection[str]) -> ColumnElement[bool]:
    """Staff see every review; others the approved ones and their own."""
    if is_staff(roles):
        return true()
    if user_id is None:
        return Review.is_approved.is_(True)
    return Review.is_approved.is_(True) | (Review.user_id == user_id)


async def product_reviews(
    db: AsyncSession,
    product_id: str,
    *,
    user_id: str | None,
    roles: Collection[str],
    first: int,
    after: str | None,
) -> Page[Review]:
    """The product's reviews the caller may see, newest first."""
    stmt = select(Review).where(Review.product_id == product_id, visible_to(user_id, roles))
    return await paginate(db, stmt, Review, first=first, after=after, newest_first=True)


async def create_review(
    db: AsyncSession, *, product_id: str, user_id: str, fields: Mapping[str, Any]
) -> Review:
    """The user's review of a product customers can see, awaiting moderation.

    REVIEW_ALREADY_EXISTS when the user has reviewed the product before.
    """
    values = v.clean(fields, REVIEW_FIELDS)
    v.require(values, ("rating",))
    product = await db.get(Product, product_id)
    if product is None or not product.is_public():
        raise not_found("Product", field="productId")
    verified = await purchases.has_bought(db, user_id, product_id)
    stmt = (
        insert(Review)
        .values(product_id=product_id, user_id=user_id, is_verified_purchase=verified, **values)
        .on_conflict_do_nothing(constraint="uq_product_reviews_product_user")
        .returning(Review)
    )
    review = await db.scalar(stmt)
    if review is None:
        raise ProductError(
            ProductErrorCode.REVIEW_ALREADY_EXISTS,
            "You have reviewed this product already; update that review instead.",
            field="productId",
        )
    await db.commit()
    return review


async def update_review(
    db: AsyncSession, review_id: str, *, user_id: str, changes: Mapping[str, Any]
) -> Review:
    """Change the user's own review; it goes back to moderation."""
    review = await _locked_review(db, review_id)
    if review.user_id != user_id:
        raise forbidden("Only its author can change a review.")
    for name, value in v.clean(changes, REVIEW_FIELDS).items():
        setattr(review, name, value)
    counted = review.is_approved
    review.is_approved = False
    await db.flush()
    if counted:
        await _refresh_rating(db, review.product_id)
    await db.commit()
    return review


async def delete_review(
    db: AsyncSession, review_id: str, *, user_id: str, roles: Collection[str]
) -> None:
    """Delete a review: its author may, and staff."""
    review = await _locked_review(db, review_id)
    if review.user_id != user_id and not is_staff(roles):
        raise forbidden("Only its author or staff can delete a review.")
    await db.delete(review)
    await db.flush()
    if review.is_approved:
        await _refresh_rating(db, review.product_id)
    await db.commit()


async def moderate_review(db: AsyncSession, review_id: str, *, approved: bool) -> Review:
    """Approve a review (customers see it, it counts) or reject it (neither)."""
    review = await _locked_review(db, review_id)
    if review.is_approved != approved:
        review.is_approved = approved
        await db.flush()
        await _refresh_rating(db, review.product_id)
    await db.commit()
    return review


async def vote_helpful(db: AsyncSession, review_id: str, *, user_id: str) -> Review:
    """Count the user's vote that an approved review helped: once, and never their own."""
    review = await db.get(Review, review_id)
    if review is None or not review.is_approved:
        raise not_found("Review", field="id")
    if review.user_id == user_id:
        raise ProductError(
            ProductErrorCode.OWN_REVIEW_VOTE,
            "You cannot vote on your own review.",
            field="id",
        )
    vote = (
        insert(ReviewVote)
        .values(review_id=review_id, user_id=user_id)
        .on_conflict_do_nothing(constraint="uq_review_votes_review_user")
        .returning(ReviewVote.id)
    )
    if await db.scalar(vote) is None:
        raise ProductError(
            ProductErrorCode.ALREADY_VOTED,
            "You have voted on this review already.",
            field="id",
        )
    count = (
        update(Review)
        .where(Review.id == review_id)
        .values(helpful_count=Review.helpful_count + 1)
        .returning(Review)
        .execution_options(populate_existing=True)
    )
    review = (await db.scalars(count)).one()
    await db.commit()
    return review


async def _locked_review(db: AsyncSession, review_id: str) -> Review:
    """The review as it is once its product is locked; NOT_FOUND when there is none."""
    product_id = await db.scalar(select(Review.product_id).where(Review.id == review_id))
    if product_id is not None:
        await catalog.locked_product(db, product_id, editable=False)
    review = await db.get(Review, review_id, populate_existing=True) if product_id else None
    if review is None:
        raise not_found("Review", field="id")
    return review


async def _refresh_rating(db: AsyncSession, product_id: str) -> None:
    """Recount the product's approved reviews; the product is locked by the caller."""
    approved = (Review.product_id == product_id) & Review.is_approved.is_(True)
    average = select(func.coalesce(func.round(func.avg(Review.rating), 2), 0)).where(approved)
    count = select(func.count()).select_from(Review).where(approved)
    stmt = (
        update(Product)
        .where(Product.id == product_id)
        .values(average_rating=average.scalar_subquery(), review_count=count.scalar_subquery())
        .returning(Product)
        # Refreshes the product this session may hold, which would be stale otherwise.
        .execution_options(populate_existing=True)
    )
    await db.execute(stmt)
