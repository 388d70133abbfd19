"""productReviewDelete: its author or staff delete a review; the rating is recounted."""

from __future__ import annotations

from subgraphs.products import models
from tests.fixtures.auth import TokenMinter
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, ReviewFactory, product_rating, stored_review
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_REVIEW_DELETE = """
mutation($input: ProductReviewIdInput!) { productReviewDelete(input: $input) { deletedId } }
"""


async def test_the_author_deletes_and_the_rating_is_recounted(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    mint_token: TokenMinter,
) -> None:
    # given
    kept = await review_factory(product, 2)
    review = await review_factory(product, 5)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_DELETE,
        {"input": {"id": review.id}},
        token=mint_token(review.user_id),
    )

    # then
    assert body == {"data": {"productReviewDelete": {"deletedId": review.id}}}
    assert await stored_review(products_service.sessions, review.id) is None
    assert await stored_review(products_service.sessions, kept.id) is not None
    assert await product_rating(products_service.sessions, product.id) == ("2.00", 1)


async def test_support_deletes_anyones_review(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    support_agent_caller: Caller,
) -> None:
    # given
    review = await review_factory(product, 1)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_DELETE,
        {"input": {"id": review.id}},
        token=support_agent_caller.token,
    )

    # then
    assert body == {"data": {"productReviewDelete": {"deletedId": review.id}}}
    assert await product_rating(products_service.sessions, product.id) == ("0.00", 0)


async def test_another_customer_cannot_delete_a_review(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    customer_caller: Caller,
) -> None:
    # given
    review = await review_factory(product, 4)
    before = await stored_review(products_service.sessions, review.id)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_DELETE, {"input": {"id": review.id}}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("FORBIDDEN", "Only its author or staff can delete a review.", None)]
    assert await stored_review(products_service.sessions, review.id) == before
    assert await product_rating(products_service.sessions, product.id) == ("4.00", 1)


async def test_anonymous_callers_cannot_delete_a_review(
    products_service: RunningService, product: models.Product, review_factory: ReviewFactory
) -> None:
    # given
    review = await review_factory(product, 4)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_DELETE, {"input": {"id": review.id}}
    )

    # then
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]
    assert await stored_review(products_service.sessions, review.id) is not None
