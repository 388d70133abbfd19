"""Registration does not need the broker: the profile follows once the broker is back.

Stops the session's embedded broker, so it sits in a module of its own; the
``embedded_broker`` fixture leaves it running for the tests after it.
"""

from __future__ import annotations

import asyncio

from shared.runtime.broker import EmbeddedBroker
from tests.fixtures.auth import unique_email
from tests.fixtures.broker import restart_broker
from tests.fixtures.services import RunningService
from tests.fixtures.users import stored_profile, wait_for_profile

MUTATION_REGISTER = "mutation($input: RegisterInput!) { register(input: $input) { user { id } } }"


async def test_profile_appears_once_the_broker_is_back(
    auth_service: RunningService, users_service: RunningService, embedded_broker: EmbeddedBroker
) -> None:
    # given
    await asyncio.to_thread(embedded_broker.stop)
    email = unique_email()

    # when
    variables = {"input": {"email": email, "password": "correct horse battery"}}
    body = await auth_service.graphql(MUTATION_REGISTER, variables)
    user_id = body["data"]["register"]["user"]["id"]
    profile_while_down = await stored_profile(users_service.sessions, user_id)
    await asyncio.to_thread(restart_broker, embedded_broker)

    # then
    assert profile_while_down is None
    profile = await wait_for_profile(users_service.sessions, user_id, seconds=60)
    assert profile.email == email
