from __future__ import annotations

import pytest
from sqlalchemy import select

from subgraphs.users import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import NOTHING_OWNED, Shopper, owned_rows
from tests.integration.users.operations import MUTATION_PREFERENCE_SET


async def _preferences(users_service: RunningService, user_id: str) -> dict[str, str]:
    stmt = select(models.Preference.key, models.Preference.value).where(
        models.Preference.user_id == user_id
    )
    async with users_service.sessions() as db:
        return {key: value for key, value in (await db.execute(stmt)).all()}


async def test_new_key_is_created(users_service: RunningService, shopper: Shopper) -> None:
    # when
    variables = {"input": {"key": "theme", "value": "dark"}}
    body = await users_service.graphql(MUTATION_PREFERENCE_SET, variables, token=shopper.token)

    # then
    assert body == {"data": {"preferenceSet": {"preference": {"key": "theme", "value": "dark"}}}}
    assert await _preferences(users_service, shopper.user_id) == {"theme": "dark"}


async def test_existing_key_gets_the_new_value(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    variables = {"input": {"key": "theme", "value": "dark"}}
    await users_service.graphql(MUTATION_PREFERENCE_SET, variables, token=shopper.token)

    # when
    variables = {"input": {"key": "theme", "value": "light"}}
    body = await users_service.graphql(MUTATION_PREFERENCE_SET, variables, token=shopper.token)

    # then
    assert body == {"data": {"preferenceSet": {"preference": {"key": "theme", "value": "light"}}}}
    assert await _preferences(users_service, shopper.user_id) == {"theme": "light"}


async def test_same_key_of_two_users_is_two_preferences(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    variables = {"input": {"key": "theme", "value": "dark"}}
    await users_service.graphql(MUTATION_PREFERENCE_SET, variables, token=other_shopper.token)

    # when
    variables = {"input": {"key": "theme", "value": "light"}}
    await users_service.graphql(MUTATION_PREFERENCE_SET, variables, token=shopper.token)

    # then
    assert await _preferences(users_service, other_shopper.user_id) == {"theme": "dark"}
    assert await _preferences(users_service, shopper.user_id) == {"theme": "light"}


@pytest.mark.parametrize(
    ("key", "value", "message", "field"),
    [
        (" ", "dark", "key is required.", "key"),
        ("k" * 101, "dark", "key must be at most 100 characters.", "key"),
        ("theme", "", "value is required.", "value"),
        ("theme", "v" * 2001, "value must be at most 2000 characters.", "value"),
    ],
)
async def test_invalid_preference_is_rejected_and_nothing_is_written(
    users_service: RunningService, shopper: Shopper, key: str, value: str, message: str, field: str
) -> None:
    # when
    variables = {"input": {"key": key, "value": value}}
    body = await users_service.graphql(MUTATION_PREFERENCE_SET, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", message, field)]
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED
