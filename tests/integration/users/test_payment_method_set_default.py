from __future__ import annotations

from subgraphs.users import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, defaults, saved_card
from tests.integration.users.operations import MUTATION_PAYMENT_METHOD_SET_DEFAULT


async def test_new_default_replaces_the_old_one(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    old = await saved_card(users_service, shopper.user_id, is_default=True)
    new = await saved_card(users_service, shopper.user_id, provider_token="pm_other")

    # when
    variables = {"input": {"id": new.id}}
    body = await users_service.graphql(
        MUTATION_PAYMENT_METHOD_SET_DEFAULT, variables, token=shopper.token
    )

    # then
    expected = {"paymentMethod": {"id": new.id, "isDefault": True}}
    assert body == {"data": {"paymentMethodSetDefault": expected}}
    assert await defaults(users_service.sessions, models.PaymentMethod, shopper.user_id) == {
        old.id: False,
        new.id: True,
    }


async def test_another_users_payment_method_is_forbidden(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    card = await saved_card(users_service, other_shopper.user_id)

    # when
    variables = {"input": {"id": card.id}}
    body = await users_service.graphql(
        MUTATION_PAYMENT_METHOD_SET_DEFAULT, variables, token=shopper.token
    )

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await defaults(users_service.sessions, models.PaymentMethod, other_shopper.user_id) == {
        card.id: False
    }


async def test_unknown_payment_method_is_not_found(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    variables = {"input": {"id": "no-such-method"}}
    body = await users_service.graphql(
        MUTATION_PAYMENT_METHOD_SET_DEFAULT, variables, token=shopper.token
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Payment method not found.", "id")]
