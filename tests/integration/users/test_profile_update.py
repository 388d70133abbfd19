from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from shared.database import utcnow
from subgraphs.users import service
from tests.fixtures.auth import TokenMinter
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, ShopperFactory, user_snapshot
from tests.integration.users.operations import MUTATION_PROFILE_UPDATE

UNCHANGED_PROFILE = {
    "firstName": "Ada",
    "lastName": None,
    "phone": None,
    "avatarUrl": None,
    "dateOfBirth": None,
    "gender": None,
    "preferredCurrency": None,
    "preferredLanguage": None,
    "newsletterSubscribed": False,
    "marketingOptIn": False,
    "isActive": True,
    "emailVerified": True,
}


def _profile(shopper: Shopper, **changes: Any) -> dict[str, Any]:
    return {"userId": shopper.user_id, "email": shopper.email, **UNCHANGED_PROFILE, **changes}


async def _update(users_service: RunningService, token: str, **fields: Any) -> dict[str, Any]:
    return await users_service.graphql(MUTATION_PROFILE_UPDATE, {"input": fields}, token=token)


async def test_customer_updates_every_field_of_their_profile(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    fields = {
        "firstName": " Ada ",
        "lastName": "Lovelace",
        "phone": "+44 (20) 7946-0958",
        "avatarUrl": "https://img.example.com/ada.png",
        "dateOfBirth": "1815-12-10",
        "gender": "FEMALE",
        "preferredCurrency": "gbp",
        "preferredLanguage": "en_gb",
        "newsletterSubscribed": True,
        "marketingOptIn": True,
    }

    # when
    body = await _update(users_service, shopper.token, **fields)

    # then
    expected = _profile(
        shopper,
        firstName="Ada",
        lastName="Lovelace",
        phone="+442079460958",
        avatarUrl="https://img.example.com/ada.png",
        dateOfBirth="1815-12-10",
        gender="FEMALE",
        preferredCurrency="GBP",
        preferredLanguage="en-GB",
        newsletterSubscribed=True,
        marketingOptIn=True,
    )
    assert body == {"data": {"profileUpdate": {"profile": expected}}}


async def test_omitted_fields_stay_and_null_clears(
    users_service: RunningService, shopper_factory: ShopperFactory
) -> None:
    # given
    shopper = await shopper_factory(first_name="Ada", phone="+14155550123")

    # when
    body = await _update(users_service, shopper.token, phone=None)

    # then
    assert body == {"data": {"profileUpdate": {"profile": _profile(shopper)}}}


async def test_phone_of_another_user_is_a_conflict(
    users_service: RunningService, shopper_factory: ShopperFactory
) -> None:
    # given
    await shopper_factory(phone="+14155550123")
    shopper = await shopper_factory(first_name="Ada")
    before = await user_snapshot(users_service.sessions, shopper.user_id)

    # when
    body = await _update(users_service, shopper.token, phone="0014155550123")

    # then
    assert errors_of(body) == [("CONFLICT", "This phone number is already in use.", "phone")]
    assert body["data"] is None
    assert await user_snapshot(users_service.sessions, shopper.user_id) == before


TOMORROW = (utcnow().date() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        (
            {"phone": "555-0123"},
            "phone must be an international phone number such as +14155550123.",
            "phone",
        ),
        ({"firstName": "A" * 101}, "firstName must be at most 100 characters.", "firstName"),
        ({"lastName": "Love\x07lace"}, "lastName must not contain control characters.", "lastName"),
        ({"lastName": "Love\x00lace"}, "Text must not contain the NUL character (U+0000).", None),
        ({"avatarUrl": "javascript:alert(1)"}, "avatarUrl must be an http(s) URL.", "avatarUrl"),
        ({"dateOfBirth": TOMORROW}, "dateOfBirth must not be in the future.", "dateOfBirth"),
        (
            {"preferredCurrency": "EURO"},
            "preferredCurrency must be an ISO 4217 currency code such as EUR.",
            "preferredCurrency",
        ),
        (
            {"preferredLanguage": "english!"},
            "preferredLanguage must be a language tag such as en or pt-BR.",
            "preferredLanguage",
        ),
        (
            {"newsletterSubscribed": None},
            "newsletterSubscribed must be true or false.",
            "newsletterSubscribed",
        ),
    ],
)
async def test_invalid_field_is_rejected_and_nothing_changes(
    users_service: RunningService,
    shopper_factory: ShopperFactory,
    fields: dict[str, Any],
    message: str,
    field: str | None,
) -> None:
    # given
    shopper = await shopper_factory(first_name="Ada")
    before = await user_snapshot(users_service.sessions, shopper.user_id)

    # when
    body = await _update(users_service, shopper.token, **{"marketingOptIn": True, **fields})

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", message, field)]
    assert body["data"] is None
    assert await user_snapshot(users_service.sessions, shopper.user_id) == before


async def test_deactivated_account_is_forbidden(
    users_service: RunningService, shopper_factory: ShopperFactory
) -> None:
    # given
    shopper = await shopper_factory(first_name="Ada")
    async with users_service.sessions() as db:
        await service.deactivate_profile(db, shopper.user_id)
    before = await user_snapshot(users_service.sessions, shopper.user_id)

    # when
    body = await _update(users_service, shopper.token, firstName="Eve")

    # then
    assert errors_of(body) == [("FORBIDDEN", "This account is deactivated.", None)]
    assert await user_snapshot(users_service.sessions, shopper.user_id) == before


async def test_user_whose_profile_is_not_created_yet_gets_not_found(
    users_service: RunningService, mint_token: TokenMinter
) -> None:
    # given
    token = mint_token("no-profile-yet")

    # when
    body = await _update(users_service, token, firstName="Ada")

    # then
    assert errors_of(body) == [("NOT_FOUND", "Profile not found.", None)]
