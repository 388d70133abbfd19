"""productReviewReject: staff hide a review from customers and take it out of the rating."""

from __future__ import annotations

from subgraphs.products import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, ReviewFactory, product_rating, stored_review
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_REVIEW_REJECT = """
mutation($input: ProductReviewIdInput!) {
  productReviewReject(input: $input) { review { id isApproved } }
}
"""
QUERY_PRODUCT_REVIEWS = """
query($id: ID!) { product(id: $id) { reviews { edges { node { id } } } } }
"""


async def test_a_rejected_review_is_hidden_and_uncounted(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    support_agent_caller: Caller,
    customer_caller: Caller,
) -> None:
    # given
    kept = await review_factory(product, 4)
    review = await review_factory(product, 1)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_REJECT,
        {"input": {"id": review.id}},
        token=support_agent_caller.token,
    )

    # then
    assert body == {
        "data": {"productReviewReject": {"review": {"id": review.id, "isApproved": False}}}
    }
    assert await product_rating(products_service.sessions, product.id) == ("4.00", 1)
    listed = await products_service.graphql(
        QUERY_PRODUCT_REVIEWS, {"id": product.id}, token=customer_caller.token
    )
    assert listed == {"data": {"product": {"reviews": {"edges": [{"node": {"id": kept.id}}]}}}}


async def test_rejecting_twice_changes_nothing_more(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    support_agent_caller: Caller,
) -> None:
    # given
    review = await review_factory(product, 3, approved=False)
    before = await stored_review(products_service.sessions, review.id)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_REJECT,
        {"input": {"id": review.id}},
        token=support_agent_caller.token,
    )

    # then
    assert body["data"] == {
        "productReviewReject": {"review": {"id": review.id, "isApproved": False}}
    }
    assert await stored_review(products_service.sessions, review.id) == before


async def test_customers_cannot_reject(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    customer_caller: Caller,
) -> None:
    # given
    review = await review_factory(product, 5)
    before = await stored_review(products_service.sessions, review.id)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_REJECT, {"input": {"id": review.id}}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await stored_review(products_service.sessions, review.id) == before
    assert await product_rating(products_service.sessions, product.id) == ("5.00", 1)


async def test_an_unknown_review_is_not_found(
    products_service: RunningService, support_agent_caller: Caller
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_REJECT,
        {"input": {"id": "no-such-review"}},
        token=support_agent_caller.token,
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Review not found.", "id")]
