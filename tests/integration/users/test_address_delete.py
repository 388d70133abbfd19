from __future__ import annotations

from subgraphs.users import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, defaults, saved_address, saved_card
from tests.integration.users.operations import MUTATION_ADDRESS_DELETE


async def test_customer_deletes_their_address(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    kept = await saved_address(users_service.sessions, shopper.user_id)
    deleted = await saved_address(users_service.sessions, shopper.user_id, is_default=True)

    # when
    variables = {"input": {"id": deleted.id}}
    body = await users_service.graphql(MUTATION_ADDRESS_DELETE, variables, token=shopper.token)

    # then
    assert body == {"data": {"addressDelete": {"deletedId": deleted.id}}}
    assert await defaults(users_service.sessions, models.Address, shopper.user_id) == {
        kept.id: False
    }


async def test_payment_method_billed_there_keeps_no_billing_address(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, shopper.user_id, type="billing")
    card = await saved_card(users_service, shopper.user_id, billing_address_id=address.id)

    # when
    variables = {"input": {"id": address.id}}
    body = await users_service.graphql(MUTATION_ADDRESS_DELETE, variables, token=shopper.token)

    # then
    assert body == {"data": {"addressDelete": {"deletedId": address.id}}}
    async with users_service.sessions() as db:
        stored = await db.get(models.PaymentMethod, card.id)
    assert stored is not None
    assert stored.billing_address_id is None


async def test_another_users_address_is_forbidden(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, other_shopper.user_id)

    # when
    variables = {"input": {"id": address.id}}
    body = await users_service.graphql(MUTATION_ADDRESS_DELETE, variables, token=shopper.token)

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
    body = await users_service.graphql(MUTATION_ADDRESS_DELETE, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("NOT_FOUND", "Address not found.", "id")]
