"""Reviews: the ``Product.reviews`` page, a customer's own review, helpful votes, and
staff's moderation. Customers see approved reviews and their own; staff see all."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from shared.auth.tokens import STAFF_ROLES
from shared.graphql import Context, PageInfo
from shared.pagination import Page, encode_cursor
from subgraphs.products import models, reviews

Info = strawberry.Info[Context, None]
UNSET = strawberry.UNSET


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class User:
    id: strawberry.ID


@strawberry.type
class ProductReview:
    id: strawberry.ID
    author: User
    rating: int = strawberry.field(description="1 to 5.")
    title: str | None
    comment: str | None
    is_verified_purchase: bool = strawberry.field(description="The author received the product.")
    is_approved: bool = strawberry.field(description="Shown to customers; counted in ratings.")
    helpful_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, row: models.Review) -> ProductReview:
        return cls(
            id=strawberry.ID(row.id),
            author=User(id=strawberry.ID(row.user_id)),
            rating=row.rating,
            title=row.title,
            comment=row.comment,
            is_verified_purchase=row.is_verified_purchase,
            is_approved=row.is_approved,
            helpful_count=row.helpful_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type
class ProductReviewEdge:
    cursor: str
    node: ProductReview


@strawberry.type
class ProductReviewConnection:
    edges: list[ProductReviewEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: Page[models.Review]) -> ProductReviewConnection:
        edges = [
            ProductReviewEdge(cursor=encode_cursor(row), node=ProductReview.from_model(row))
            for row in page.rows
        ]
        return cls(edges=edges, page_info=PageInfo.from_page(page))


async def product_reviews(
    info: Info, product_id: str, first: int, after: str | None
) -> ProductReviewConnection:
    """``Product.reviews``: newest first, those the caller may see."""
    claims = await info.context.viewer()
    page = await reviews.product_reviews(
        info.context.db,
        product_id,
        user_id=claims.user_id if claims else None,
        roles=claims.roles if claims else frozenset(),
        first=first,
        after=after,
    )
    return ProductReviewConnection.from_page(page)


@strawberry.input
class ProductReviewCreateInput:
    product_id: strawberry.ID
    rating: int
    title: str | None = strawberry.field(default=None, description="At most 150 characters.")
    comment: str | None = strawberry.field(default=None, description="At most 5000 characters.")


@strawberry.input(description="Omitted fields stay; the review goes back to moderation.")
class ProductReviewUpdateInput:
    id: strawberry.ID
    rating: int | None = UNSET
    title: str | None = UNSET
    comment: str | None = UNSET


@strawberry.input
class ProductReviewIdInput:
    id: strawberry.ID


@strawberry.type
class ProductReviewPayload:
    review: ProductReview


@strawberry.type
class ProductReviewDeletePayload:
    deleted_id: strawberry.ID


def _given(value: ProductReviewUpdateInput) -> dict[str, object]:
    given = {name: getattr(value, name) for name in ("rating", "title", "comment")}
    return {name: field for name, field in given.items() if field is not UNSET}


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Signed-in customers; one review per product.")
    async def product_review_create(
        self, info: Info, input: ProductReviewCreateInput
    ) -> ProductReviewPayload:
        viewer = await info.context.require_viewer()
        fields = {"rating": input.rating, "title": input.title, "comment": input.comment}
        row = await reviews.create_review(
            info.context.db, product_id=str(input.product_id), user_id=viewer.user_id, fields=fields
        )
        return ProductReviewPayload(review=ProductReview.from_model(row))

    @strawberry.mutation(description="Its author only.")
    async def product_review_update(
        self, info: Info, input: ProductReviewUpdateInput
    ) -> ProductReviewPayload:
        viewer = await info.context.require_viewer()
        row = await reviews.update_review(
            info.context.db, str(input.id), user_id=viewer.user_id, changes=_given(input)
        )
        return ProductReviewPayload(review=ProductReview.from_model(row))

    @strawberry.mutation(description="Its author, or staff.")
    async def product_review_delete(
        self, info: Info, input: ProductReviewIdInput
    ) -> ProductReviewDeletePayload:
        viewer = await info.context.require_viewer()
        await reviews.delete_review(
            info.context.db, str(input.id), user_id=viewer.user_id, roles=viewer.roles
        )
        return ProductReviewDeletePayload(deleted_id=input.id)

    @strawberry.mutation(description="Marks an approved review of someone else's helpful, once.")
    async def product_review_vote(
        self, info: Info, input: ProductReviewIdInput
    ) -> ProductReviewPayload:
        viewer = await info.context.require_viewer()
        row = await reviews.vote_helpful(info.context.db, str(input.id), user_id=viewer.user_id)
        return ProductReviewPayload(review=ProductReview.from_model(row))

    @strawberry.mutation(description="Staff only: customers see it, and it counts.")
    async def product_review_approve(
        self, info: Info, input: ProductReviewIdInput
    ) -> ProductReviewPayload:
        await info.context.require_role(*STAFF_ROLES)
        row = await reviews.moderate_review(info.context.db, str(input.id), approved=True)
        return ProductReviewPayload(review=ProductReview.from_model(row))

    @strawberry.mutation(description="Staff only: hidden from customers, not counted.")
    async def product_review_reject(
        self, info: Info, input: ProductReviewIdInput
    ) -> ProductReviewPayload:
        await info.context.require_role(*STAFF_ROLES)
        row = await reviews.moderate_review(info.context.db, str(input.id), approved=False)
        return ProductReviewPayload(review=ProductReview.from_model(row))
