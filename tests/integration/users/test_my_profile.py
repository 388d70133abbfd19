from __future__ import annotations

from tests.fixtures.auth import TokenMinter
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import ShopperFactory

QUERY_MY_PROFILE = "{ myProfile { userId email firstName isActive emailVerified } }"


async def test_customer_reads_their_profile(
    users_service: RunningService, shopper_factory: ShopperFactory
) -> None:
    # given
    shopper = await shopper_factory(first_name="Ada")

    # when
    body = await users_service.graphql(QUERY_MY_PROFILE, token=shopper.token)

    # then
    assert body == {
        "data": {
            "myProfile": {
                "userId": shopper.user_id,
                "email": shopper.email,
                "firstName": "Ada",
                "isActive": True,
                "emailVerified": True,
            }
        }
    }


async def test_profile_not_created_yet_is_null(
    users_service: RunningService, mint_token: TokenMinter
) -> None:
    # when
    body = await users_service.graphql(QUERY_MY_PROFILE, token=mint_token("registered-just-now"))

    # then
    assert body == {"data": {"myProfile": None}}


async def test_without_a_token_is_unauthenticated(users_service: RunningService) -> None:
    # when
    body = await users_service.graphql(QUERY_MY_PROFILE)

    # then
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]
    assert body["data"] == {"myProfile": None}
