"""productReviewCreate: one review per customer and product, waiting for moderation."""

from __future__ import annotations

from sqlalchemy import func, select

from subgraphs.products import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_REVIEW_CREATE = """
mutation($input: ProductReviewCreateInput!) {
  productReviewCreate(input: $input) {
    review { author { id } rating title comment isVerifiedPurchase isApproved helpfulCount }
  }
}
"""
QUERY_PRODUCT_REVIEWS = """
query($id: ID!) {
  product(id: $id) { averageRating reviewCount reviews(first: 5) { edges { node { rating } } } }
}
"""


async def _review_count(products_service: RunningService, product_id: str) -> int:
    stmt = select(func.count()).where(models.Review.product_id == product_id)
    async with products_service.sessions() as db:
        return int(await db.scalar(stmt) or 0)


async def test_a_new_review_waits_for_moderation_and_only_its_author_sees_it(
    products_service: RunningService,
    product: models.Product,
    customer_caller: Caller,
) -> None:
    # given
    review = {"productId": product.id, "rating": 4, "title": " Warm ", "comment": "Soft."}

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_CREATE, {"input": review}, token=customer_caller.token
    )

    # then
    assert body == {
        "data": {
            "productReviewCreate": {
                "review": {
                    "author": {"id": customer_caller.user_id},
                    "rating": 4,
                    "title": "Warm",
                    "comment": "Soft.",
                    "isVerifiedPurchase": False,
                    "isApproved": False,
                    "helpfulCount": 0,
                }
            }
        }
    }
    by_author = await products_service.graphql(
        QUERY_PRODUCT_REVIEWS, {"id": product.id}, token=customer_caller.token
    )
    by_anyone = await products_service.graphql(QUERY_PRODUCT_REVIEWS, {"id": product.id})
    assert by_author["data"]["product"] == {
        "averageRating": 0.0,
        "reviewCount": 0,
        "reviews": {"edges": [{"node": {"rating": 4}}]},
    }
    assert by_anyone["data"]["product"]["reviews"] == {"edges": []}


async def test_a_second_review_of_the_same_product_is_refused(
    products_service: RunningService, product: models.Product, customer_caller: Caller
) -> None:
    # given
    review = {"productId": product.id, "rating": 4}
    await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_CREATE, {"input": review}, token=customer_caller.token
    )

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_CREATE,
        {"input": {**review, "rating": 1}},
        token=customer_caller.token,
    )

    # then
    assert errors_of(body) == [
        (
            "REVIEW_ALREADY_EXISTS",
            "You have reviewed this product already; update that review instead.",
            "productId",
        )
    ]
    assert await _review_count(products_service, product.id) == 1


async def test_a_rating_outside_one_to_five_is_refused(
    products_service: RunningService, product: models.Product, customer_caller: Caller
) -> None:
    # given
    review = {"productId": product.id, "rating": 6}

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_CREATE, {"input": review}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "rating must be between 1 and 5.", "rating")]
    assert await _review_count(products_service, product.id) == 0


async def test_a_too_long_title_is_refused(
    products_service: RunningService, product: models.Product, customer_caller: Caller
) -> None:
    # given
    review = {"productId": product.id, "rating": 5, "title": "x" * 151}

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_CREATE, {"input": review}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "title must be at most 150 characters.", "title")]
    assert await _review_count(products_service, product.id) == 0


async def test_anonymous_callers_cannot_review(
    products_service: RunningService, product: models.Product
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_CREATE, {"input": {"productId": product.id, "rating": 5}}
    )

    # then
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]
    assert await _review_count(products_service, product.id) == 0
