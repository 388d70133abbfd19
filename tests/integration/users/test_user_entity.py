from __future__ import annotations

from typing import Any

from tests.fixtures.auth import TokenMinter
from tests.fixtures.graphql import count_statements, errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, ShopperFactory, UsersExecutor, saved_address
from tests.integration.users.operations import QUERY_USER_DATA, user_data_of

QUERY_SDL = "{ _service { sdl } }"

QUERY_PROFILES = """
query Profiles($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id profile { firstName } } }
}
"""

QUERY_EVERYTHING = """
query Everything($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      profile { firstName }
      addresses { city }
      paymentMethods { last4 }
      preferences { key }
      wishlist { product { id } }
    }
  }
}
"""

QUERY_IDS = """
query Ids($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id } }
}
"""

USER_TYPE = """type User @key(fields: "id") {
  id: ID!
  profile: UserProfile
  addresses: [UserAddress!]!
  paymentMethods: [SavedPaymentMethod!]!
  preferences: [UserPreference!]!
  wishlist: [WishlistItem!]!
}"""

PRODUCT_TYPE = """type Product @key(fields: "id", resolvable: false) {
  id: ID!
}"""

NO_DATA = {"addresses": [], "paymentMethods": [], "preferences": [], "wishlist": []}


def _representations(users: list[Shopper]) -> dict[str, Any]:
    return {"representations": [{"__typename": "User", "id": user.user_id} for user in users]}


async def test_sdl_declares_the_user_entity_and_the_product_stub(
    users_service: RunningService,
) -> None:
    # when
    body = await users_service.graphql(QUERY_SDL)

    # then
    sdl = body["data"]["_service"]["sdl"]
    assert USER_TYPE in sdl
    assert PRODUCT_TYPE in sdl
    assert sdl.startswith('schema @link(url: "https://specs.apollo.dev/federation/v2')


async def test_profiles_of_n_users_cost_one_statement(
    users_service: RunningService,
    users_in_process: UsersExecutor,
    shopper_factory: ShopperFactory,
    admin_token: str,
) -> None:
    # given
    users = [await shopper_factory(first_name=f"User {n}") for n in range(5)]

    # when
    with count_statements(users_service.engine) as statements:
        result = await users_in_process(QUERY_PROFILES, _representations(users), token=admin_token)

    # then
    assert result.errors is None
    assert result.data == {
        "_entities": [
            {"id": user.user_id, "profile": {"firstName": f"User {n}"}}
            for n, user in enumerate(users)
        ]
    }
    assert statements.count == 1


async def test_every_field_of_n_users_costs_one_statement(
    users_service: RunningService,
    users_in_process: UsersExecutor,
    shopper_factory: ShopperFactory,
    admin_token: str,
) -> None:
    # given
    users = [await shopper_factory(first_name=f"User {n}") for n in range(3)]

    # when
    with count_statements(users_service.engine) as statements:
        result = await users_in_process(
            QUERY_EVERYTHING, _representations(users), token=admin_token
        )

    # then
    assert result.errors is None
    assert result.data == {
        "_entities": [{"profile": {"firstName": f"User {n}"}, **NO_DATA} for n in range(3)]
    }
    assert statements.count == 5


async def test_resolving_a_reference_reads_nothing(
    users_service: RunningService, users_in_process: UsersExecutor, shopper: Shopper
) -> None:
    # when
    with count_statements(users_service.engine) as statements:
        result = await users_in_process(QUERY_IDS, _representations([shopper]), token=None)

    # then
    assert result.errors is None
    assert result.data == {"_entities": [{"id": shopper.user_id}]}
    assert statements.count == 0


async def test_customer_reads_their_own_data(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    await saved_address(users_service.sessions, shopper.user_id, city="Hamburg")

    # when
    body = await users_service.graphql(
        QUERY_EVERYTHING, _representations([shopper]), token=shopper.token
    )

    # then
    expected = {"profile": {"firstName": None}, **NO_DATA, "addresses": [{"city": "Hamburg"}]}
    assert body == {"data": {"_entities": [expected]}}


async def test_another_customers_data_is_forbidden(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # when
    body = await users_service.graphql(
        QUERY_USER_DATA, user_data_of(other_shopper.user_id), token=shopper.token
    )

    # then
    # The first non-null field to fail nulls the entity, and so ends the others.
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert body["data"] == {"_entities": [None]}


async def test_another_customers_profile_is_forbidden_at_its_path(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # when
    body = await users_service.graphql(
        QUERY_PROFILES, _representations([shopper, other_shopper]), token=shopper.token
    )

    # then
    assert body["data"] == {
        "_entities": [
            {"id": shopper.user_id, "profile": {"firstName": None}},
            {"id": other_shopper.user_id, "profile": None},
        ]
    }
    assert [(e["extensions"]["code"], e["path"]) for e in body["errors"]] == [
        ("FORBIDDEN", ["_entities", 1, "profile"])
    ]


async def test_support_reads_any_customers_data(
    users_service: RunningService, shopper: Shopper, support_token: str
) -> None:
    # given
    await saved_address(users_service.sessions, shopper.user_id, city="Hamburg")

    # when
    body = await users_service.graphql(
        QUERY_EVERYTHING, _representations([shopper]), token=support_token
    )

    # then
    expected = {"profile": {"firstName": None}, **NO_DATA, "addresses": [{"city": "Hamburg"}]}
    assert body == {"data": {"_entities": [expected]}}


async def test_user_without_a_profile_has_no_data(
    users_service: RunningService, mint_token: TokenMinter
) -> None:
    # given
    token = mint_token("registered-moments-ago")

    # when
    body = await users_service.graphql(
        QUERY_EVERYTHING,
        {"representations": [{"__typename": "User", "id": "registered-moments-ago"}]},
        token=token,
    )

    # then
    assert body == {"data": {"_entities": [{"profile": None, **NO_DATA}]}}


async def test_reading_without_a_token_is_unauthenticated(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    body = await users_service.graphql(QUERY_PROFILES, _representations([shopper]))

    # then
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]
    assert body["data"] == {"_entities": [{"id": shopper.user_id, "profile": None}]}


async def test_reference_no_database_can_hold_is_bad_input(
    users_service: RunningService, admin_token: str
) -> None:
    # when
    body = await users_service.graphql(
        QUERY_EVERYTHING,
        {"representations": [{"__typename": "User", "id": "nul\u0000id"}]},
        token=admin_token,
    )

    # then
    assert body == {
        "data": None,
        "errors": [
            {
                "message": "Text must not contain the NUL character (U+0000).",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
    }
