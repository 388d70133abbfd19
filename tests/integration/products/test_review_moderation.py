"""Moderation and helpful votes: what counts in a product's rating, and who may do what."""

from __future__ import annotations

import asyncio

import pytest

from shared.database import new_id
from shared.errors import DomainError
from subgraphs.products import models, reviews
from tests.fixtures.auth import TokenMinter
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, ReviewFactory, product_rating
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_REVIEW_APPROVE = """
mutation($input: ProductReviewIdInput!) {
  productReviewApprove(input: $input) { review { isApproved } }
}
"""
MUTATION_PRODUCT_REVIEW_VOTE = """
mutation($input: ProductReviewIdInput!) {
  productReviewVote(input: $input) { review { helpfulCount } }
}
"""


async def test_approval_counts_the_review_and_rejection_uncounts_it(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    support_agent_caller: Caller,
) -> None:
    # given
    await review_factory(product, 5)
    pending = await review_factory(product, 2, approved=False)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_APPROVE,
        {"input": {"id": pending.id}},
        token=support_agent_caller.token,
    )
    approved = await product_rating(products_service.sessions, product.id)
    async with products_service.sessions() as db:
        await reviews.moderate_review(db, pending.id, approved=False)

    # then
    assert body == {"data": {"productReviewApprove": {"review": {"isApproved": True}}}}
    assert approved == ("3.50", 2)
    assert await product_rating(products_service.sessions, product.id) == ("5.00", 1)


async def test_customers_cannot_moderate(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    customer_caller: Caller,
) -> None:
    # given
    pending = await review_factory(product, 2, approved=False)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_APPROVE, {"input": {"id": pending.id}}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await product_rating(products_service.sessions, product.id) == ("0.00", 0)


async def test_approvals_racing_on_one_product_are_all_counted(
    products_service: RunningService, product: models.Product, review_factory: ReviewFactory
) -> None:
    # given
    pending = [await review_factory(product, rating, approved=False) for rating in (1, 2, 3, 4, 5)]

    async def approve(review_id: str) -> None:
        async with products_service.sessions() as db:
            await reviews.moderate_review(db, review_id, approved=True)

    # when
    await asyncio.gather(*(approve(review.id) for review in pending))

    # then
    assert await product_rating(products_service.sessions, product.id) == ("3.00", 5)


async def test_editing_an_approved_review_sends_it_back_to_moderation(
    products_service: RunningService, product: models.Product, review_factory: ReviewFactory
) -> None:
    # given
    review = await review_factory(product, 5)

    # when
    async with products_service.sessions() as db:
        edited = await reviews.update_review(
            db, review.id, user_id=review.user_id, changes={"rating": 1}
        )

    # then
    assert (edited.rating, edited.is_approved) == (1, False)
    assert await product_rating(products_service.sessions, product.id) == ("0.00", 0)


async def test_a_helpful_vote_counts_once(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    customer_caller: Caller,
) -> None:
    # given
    review = await review_factory(product, 4)
    variables = {"input": {"id": review.id}}
    first = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_VOTE, variables, token=customer_caller.token
    )

    # when
    second = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_VOTE, variables, token=customer_caller.token
    )

    # then
    assert first == {"data": {"productReviewVote": {"review": {"helpfulCount": 1}}}}
    assert errors_of(second) == [("ALREADY_VOTED", "You have voted on this review already.", "id")]


async def test_nobody_votes_on_their_own_review(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    mint_token: TokenMinter,
) -> None:
    # given
    review = await review_factory(product, 4)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_VOTE,
        {"input": {"id": review.id}},
        token=mint_token(review.user_id),
    )

    # then
    assert errors_of(body) == [("OWN_REVIEW_VOTE", "You cannot vote on your own review.", "id")]
    async with products_service.sessions() as db:
        stored = await db.get(models.Review, review.id)
    assert stored is not None and stored.helpful_count == 0


async def test_only_its_author_or_staff_delete_a_review(
    products_service: RunningService, product: models.Product, review_factory: ReviewFactory
) -> None:
    # given
    review = await review_factory(product, 4)

    # when
    with pytest.raises(DomainError) as error:
        async with products_service.sessions() as db:
            await reviews.delete_review(db, review.id, user_id=new_id(), roles={"customer"})
    async with products_service.sessions() as db:
        await reviews.delete_review(db, review.id, user_id=new_id(), roles={"support"})

    # then
    assert error.value.code == "FORBIDDEN"
    assert await product_rating(products_service.sessions, product.id) == ("0.00", 0)
