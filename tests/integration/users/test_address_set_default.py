from __future__ import annotations

from subgraphs.users import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, defaults, saved_address
from tests.integration.users.operations import MUTATION_ADDRESS_SET_DEFAULT


async def test_new_default_replaces_the_old_one_of_its_type_only(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    old = await saved_address(users_service.sessions, shopper.user_id, is_default=True)
    billing = await saved_address(
        users_service.sessions, shopper.user_id, type="billing", is_default=True
    )
    new = await saved_address(users_service.sessions, shopper.user_id)

    # when
    variables = {"input": {"id": new.id}}
    body = await users_service.graphql(MUTATION_ADDRESS_SET_DEFAULT, variables, token=shopper.token)

    # then
    expected = {"id": new.id, "type": "SHIPPING", "isDefault": True}
    assert body == {"data": {"addressSetDefault": {"address": expected}}}
    assert await defaults(users_service.sessions, models.Address, shopper.user_id) == {
        old.id: False,
        billing.id: True,
        new.id: True,
    }


async def test_setting_the_default_again_changes_nothing(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, shopper.user_id, is_default=True)

    # when
    variables = {"input": {"id": address.id}}
    body = await users_service.graphql(MUTATION_ADDRESS_SET_DEFAULT, variables, token=shopper.token)

    # then
    expected = {"id": address.id, "type": "SHIPPING", "isDefault": True}
    assert body == {"data": {"addressSetDefault": {"address": expected}}}
    assert await defaults(users_service.sessions, models.Address, shopper.user_id) == {
        address.id: True
    }


async def test_another_users_address_is_forbidden(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, other_shopper.user_id)

    # when
    variables = {"input": {"id": address.id}}
    body = await users_service.graphql(MUTATION_ADDRESS_SET_DEFAULT, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await defaults(users_service.sessions, models.Address, other_shopper.user_id) == {
        address.id: False
    }


async def test_unknown_address_is_not_found(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    variables = {"input": {"id": "no-such-address"}}
    body = await users_service.graphql(MUTATION_ADDRESS_SET_DEFAULT, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("NOT_FOUND", "Address not found.", "id")]
