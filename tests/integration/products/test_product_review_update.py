"""productReviewUpdate: its author changes a review, which goes back to moderation and
stops counting until approved again."""

from __future__ import annotations

from typing import Any

from subgraphs.products import models
from tests.fixtures.auth import TokenMinter
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, ReviewFactory, product_rating, stored_review
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_REVIEW_UPDATE = """
mutation($input: ProductReviewUpdateInput!) {
  productReviewUpdate(input: $input) { review { rating title comment isApproved } }
}
"""


async def test_the_author_edits_and_the_review_goes_back_to_moderation(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    mint_token: TokenMinter,
) -> None:
    # given
    review = await review_factory(product, 5)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_UPDATE,
        {"input": {"id": review.id, "rating": 2, "title": "  Shrank in the wash "}},
        token=mint_token(review.user_id),
    )

    # then
    assert body == {
        "data": {
            "productReviewUpdate": {
                "review": {
                    "rating": 2,
                    "title": "Shrank in the wash",
                    "comment": None,
                    "isApproved": False,
                }
            }
        }
    }
    assert await product_rating(products_service.sessions, product.id) == ("0.00", 0)


async def test_omitted_fields_stay_as_they_are(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    mint_token: TokenMinter,
) -> None:
    # given
    review = await review_factory(product, 4, approved=False)
    token = mint_token(review.user_id)
    await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_UPDATE,
        {"input": {"id": review.id, "comment": "Warm."}},
        token=token,
    )

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_UPDATE, {"input": {"id": review.id, "title": "Cosy"}}, token=token
    )

    # then
    assert body["data"]["productReviewUpdate"]["review"] == {
        "rating": 4,
        "title": "Cosy",
        "comment": "Warm.",
        "isApproved": False,
    }


async def rejected_update(
    products_service: RunningService, review: models.Review, token: str, **changes: Any
) -> list[tuple[str, str, str | None]]:
    """The errors of an update that must change nothing, once checked that it did not."""
    before = await stored_review(products_service.sessions, review.id)
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_UPDATE, {"input": {"id": review.id, **changes}}, token=token
    )
    assert body["data"] is None
    assert await stored_review(products_service.sessions, review.id) == before
    return errors_of(body)


async def test_someone_else_cannot_edit_a_review(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    customer_caller: Caller,
) -> None:
    # given
    review = await review_factory(product, 5)

    # when
    errors = await rejected_update(products_service, review, customer_caller.token, rating=1)

    # then
    assert errors == [("FORBIDDEN", "Only its author can change a review.", None)]
    assert await product_rating(products_service.sessions, product.id) == ("5.00", 1)


async def test_a_rating_outside_one_to_five_changes_nothing(
    products_service: RunningService,
    product: models.Product,
    review_factory: ReviewFactory,
    mint_token: TokenMinter,
) -> None:
    # given
    review = await review_factory(product, 5)

    # when
    errors = await rejected_update(products_service, review, mint_token(review.user_id), rating=6)

    # then
    assert errors == [("BAD_USER_INPUT", "rating must be between 1 and 5.", "rating")]
    assert await product_rating(products_service.sessions, product.id) == ("5.00", 1)


async def test_an_unknown_review_is_not_found(
    products_service: RunningService, customer_caller: Caller
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_REVIEW_UPDATE,
        {"input": {"id": "no-such-review", "rating": 3}},
        token=customer_caller.token,
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Review not found.", "id")]
