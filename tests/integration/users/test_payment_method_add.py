from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import select

from shared.database import utcnow
from subgraphs.users import models
from subgraphs.users.keys import payment_token_keyring
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import (
    NOTHING_OWNED,
    Shopper,
    defaults,
    owned_rows,
    saved_address,
    saved_card,
)
from tests.integration.users.operations import MUTATION_PAYMENT_METHOD_ADD

TODAY = utcnow().date()
RAW_CARD_NUMBER = (
    "Card numbers are never stored: send the payment provider's token and the last 4 digits."
)

CARD_INPUT = {
    "type": "CREDIT_CARD",
    "providerToken": "pm_1Q2w3E4r5T6y",
    "cardType": "visa",
    "last4": "4242",
    "expiryMonth": TODAY.month,
    "expiryYear": TODAY.year,
    "cardholderName": "Ada Lovelace",
}


async def _add(users_service: RunningService, shopper: Shopper, **fields: Any) -> dict[str, Any]:
    variables = {"input": {**CARD_INPUT, **fields}}
    return await users_service.graphql(MUTATION_PAYMENT_METHOD_ADD, variables, token=shopper.token)


async def test_card_valid_through_this_month_is_saved_without_its_token(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, shopper.user_id, type="billing")

    # when
    body = await _add(users_service, shopper, billingAddressId=address.id)

    # then
    method = body["data"]["paymentMethodAdd"]["paymentMethod"]
    assert method == {
        "id": method["id"],
        "type": "CREDIT_CARD",
        "isDefault": False,
        "cardType": "visa",
        "last4": "4242",
        "expiryMonth": TODAY.month,
        "expiryYear": TODAY.year,
        "cardholderName": "Ada Lovelace",
        "billingAddressId": address.id,
    }
    assert "pm_1Q2w3E4r5T6y" not in json.dumps(body)


async def test_token_is_stored_encrypted_with_the_service_keys(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    await _add(users_service, shopper)

    # then
    async with users_service.sessions() as db:
        stmt = select(models.PaymentMethod.provider_token).filter_by(user_id=shopper.user_id)
        [stored] = await db.scalars(stmt)
    keyring = payment_token_keyring(users_service.settings)
    assert stored.startswith(f"{keyring.current_id}:")
    assert "pm_1Q2w3E4r5T6y" not in stored
    assert keyring.decrypt(stored) == "pm_1Q2w3E4r5T6y"


async def test_paypal_account_needs_no_card_details(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    variables = {"input": {"type": "PAYPAL", "providerToken": "BA-8A802366G0648845A"}}
    body = await users_service.graphql(MUTATION_PAYMENT_METHOD_ADD, variables, token=shopper.token)

    # then
    method = body["data"]["paymentMethodAdd"]["paymentMethod"]
    assert method == {
        "id": method["id"],
        "type": "PAYPAL",
        "isDefault": False,
        "cardType": None,
        "last4": None,
        "expiryMonth": None,
        "expiryYear": None,
        "cardholderName": None,
        "billingAddressId": None,
    }


async def test_new_default_replaces_the_old_one(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    old = await saved_card(users_service, shopper.user_id, is_default=True)

    # when
    body = await _add(users_service, shopper, isDefault=True)

    # then
    new_id = body["data"]["paymentMethodAdd"]["paymentMethod"]["id"]
    assert await defaults(users_service.sessions, models.PaymentMethod, shopper.user_id) == {
        old.id: False,
        new_id: True,
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"providerToken": "4242 4242 4242 4242"}, "providerToken"),
        ({"providerToken": "tok_4000-0566-5566-5556"}, "providerToken"),
        ({"cardholderName": "Ada 378282246310005"}, "cardholderName"),
        ({"last4": "4242424242424242"}, "last4"),
        ({"last4": "424242"}, "last4"),
    ],
)
async def test_raw_card_number_is_rejected_and_nothing_is_written(
    users_service: RunningService, shopper: Shopper, fields: dict[str, Any], field: str
) -> None:
    # when
    body = await _add(users_service, shopper, **fields)

    # then
    assert errors_of(body) == [("RAW_CARD_NUMBER_REJECTED", RAW_CARD_NUMBER, field)]
    assert body["data"] is None
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED


@pytest.mark.parametrize(
    ("fields", "code", "message", "field"),
    [
        (
            {"expiryMonth": 12, "expiryYear": TODAY.year - 1},
            "CARD_EXPIRED",
            "The card has expired.",
            "expiryYear",
        ),
        (
            {"last4": "42a2"},
            "BAD_USER_INPUT",
            "last4 must be the last four digits of the card.",
            "last4",
        ),
        ({"last4": None}, "BAD_USER_INPUT", "last4 is required.", "last4"),
        (
            {"expiryMonth": 13},
            "BAD_USER_INPUT",
            "expiryMonth must be between 1 and 12.",
            "expiryMonth",
        ),
        ({"providerToken": " "}, "BAD_USER_INPUT", "providerToken is required.", "providerToken"),
        (
            {"type": "PAYPAL"},
            "BAD_USER_INPUT",
            "cardType does not apply to a PayPal account.",
            "cardType",
        ),
        (
            {"billingAddressId": "no-such-address"},
            "NOT_FOUND",
            "Address not found.",
            "billingAddressId",
        ),
    ],
)
async def test_invalid_payment_method_is_rejected_and_nothing_is_written(
    users_service: RunningService,
    shopper: Shopper,
    fields: dict[str, Any],
    code: str,
    message: str,
    field: str,
) -> None:
    # when
    body = await _add(users_service, shopper, **fields)

    # then
    assert errors_of(body) == [(code, message, field)]
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED


async def test_billing_address_of_another_user_is_forbidden(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, other_shopper.user_id)

    # when
    body = await _add(users_service, shopper, billingAddressId=address.id)

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED


async def test_same_token_saved_twice_at_once_is_saved_once(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    bodies = await asyncio.gather(_add(users_service, shopper), _add(users_service, shopper))

    # then
    assert sorted(errors_of(body) for body in bodies) == [
        [],
        [("CONFLICT", "This payment method is already saved.", "providerToken")],
    ]
    assert await owned_rows(users_service.sessions, shopper.user_id) == {
        **NOTHING_OWNED,
        "user_payment_methods": 1,
    }


async def test_saving_the_same_token_twice_is_a_conflict(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    await _add(users_service, shopper)

    # when
    body = await _add(users_service, shopper, last4="1111")

    # then
    assert errors_of(body) == [
        ("CONFLICT", "This payment method is already saved.", "providerToken")
    ]
    assert await owned_rows(users_service.sessions, shopper.user_id) == {
        **NOTHING_OWNED,
        "user_payment_methods": 1,
    }
