from __future__ import annotations

import pytest

from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, ShopperFactory

QUERY_LOOKUP = """
query Lookup($email: String!, $phone: String!) {
  userByEmail(email: $email) { id profile { firstName } }
  userByPhone(phone: $phone) { id profile { firstName } }
  emailExists(email: $email)
  phoneExists(phone: $phone)
}
"""

QUERY_BY_PHONE = "query ($phone: String!) { userByPhone(phone: $phone) { id } }"


async def test_staff_finds_a_user_by_email_and_by_phone(
    users_service: RunningService, shopper_factory: ShopperFactory, support_token: str
) -> None:
    # given
    by_email = await shopper_factory(first_name="Ada")
    by_phone = await shopper_factory(first_name="Grace", phone="+1 415 555 0199")

    # when
    variables = {"email": f" {by_email.email.upper()} ", "phone": "001-415-555-0199"}
    body = await users_service.graphql(QUERY_LOOKUP, variables, token=support_token)

    # then
    assert body == {
        "data": {
            "userByEmail": {"id": by_email.user_id, "profile": {"firstName": "Ada"}},
            "userByPhone": {"id": by_phone.user_id, "profile": {"firstName": "Grace"}},
            "emailExists": True,
            "phoneExists": True,
        }
    }


async def test_unknown_email_and_phone_find_nobody(
    users_service: RunningService, admin_token: str
) -> None:
    # when
    variables = {"email": "nobody@example.com", "phone": "+999 1234 5678"}
    body = await users_service.graphql(QUERY_LOOKUP, variables, token=admin_token)

    # then
    assert body == {
        "data": {
            "userByEmail": None,
            "userByPhone": None,
            "emailExists": False,
            "phoneExists": False,
        }
    }


async def test_malformed_phone_is_bad_input(
    users_service: RunningService, admin_token: str
) -> None:
    # when
    body = await users_service.graphql(QUERY_BY_PHONE, {"phone": "call me"}, token=admin_token)

    # then
    assert errors_of(body) == [
        (
            "BAD_USER_INPUT",
            "phone must be an international phone number such as +14155550123.",
            "phone",
        )
    ]


@pytest.mark.parametrize(
    "query",
    [
        '{ userByEmail(email: "ada@example.com") { id } }',
        '{ userByPhone(phone: "+14155550199") { id } }',
        '{ emailExists(email: "ada@example.com") }',
        '{ phoneExists(phone: "+14155550199") }',
    ],
)
async def test_customer_cannot_look_users_up(
    users_service: RunningService, shopper: Shopper, query: str
) -> None:
    # when
    body = await users_service.graphql(query, token=shopper.token)

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]


@pytest.mark.parametrize(
    ("escape", "message", "field"),
    [
        ("\\u0000", "Text must not contain the NUL character (U+0000).", None),
        ("\\u0007", "email must not contain control characters.", "email"),
    ],
    ids=["nul", "bell"],
)
async def test_email_with_a_control_character_is_bad_input(
    users_service: RunningService, admin_token: str, escape: str, message: str, field: str | None
) -> None:
    # when
    body = await users_service.graphql(
        f'{{ emailExists(email: "ada{escape}@example.com") }}', token=admin_token
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", message, field)]
