from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id, utcnow
from shared.pagination import MAX_PAGE_SIZE
from subgraphs.users import models, queries, service
from tests.fixtures.auth import unique_email
from tests.fixtures.users import defaults, saved_address, stored_profile

Sessions = async_sessionmaker[AsyncSession]


async def _new_profile(sessions: Sessions, **fields: object) -> str:
    user_id = new_id()
    async with sessions() as db:
        await service.create_profile(
            db, user_id=user_id, email=unique_email(), email_verified=False
        )
        if fields:
            await service.update_profile(db, user_id, fields)
    return user_id


async def test_second_registration_of_a_user_changes_nothing(users_sessions: Sessions) -> None:
    # given
    user_id = new_id()
    async with users_sessions() as db:
        await service.create_profile(
            db, user_id=user_id, email=" Ada@Example.com ", email_verified=False
        )

    # when
    async with users_sessions() as db:
        created = await service.create_profile(
            db, user_id=user_id, email="eve@example.com", email_verified=True
        )

    # then
    assert created is False
    profile = await stored_profile(users_sessions, user_id)
    assert profile is not None
    assert (profile.email, profile.email_verified) == ("ada@example.com", False)


async def test_an_older_login_does_not_replace_a_newer_one(users_sessions: Sessions) -> None:
    # given
    user_id = await _new_profile(users_sessions)
    newer = utcnow()
    async with users_sessions() as db:
        await service.record_login(db, user_id, newer)

    # when
    async with users_sessions() as db:
        await service.record_login(db, user_id, newer - timedelta(hours=1))

    # then
    profile = await stored_profile(users_sessions, user_id)
    assert profile is not None
    assert profile.last_login_at == newer


async def test_sync_events_for_an_unknown_user_change_nothing(users_sessions: Sessions) -> None:
    # given
    async with users_sessions() as db:
        before = await db.scalar(select(func.max(models.Profile.updated_at)))

    # when
    async with users_sessions() as db:
        await service.mark_email_verified(db, "unknown-user")
        await service.deactivate_profile(db, "unknown-user")

    # then
    async with users_sessions() as db:
        assert await db.scalar(select(func.max(models.Profile.updated_at))) == before


async def test_the_largest_page_holds_one_hundred_and_says_more_follow(
    users_sessions: Sessions,
) -> None:
    # given
    marker = f"cap{uuid4().hex[:8]}"
    for n in range(MAX_PAGE_SIZE + 1):
        await _new_profile(users_sessions, last_name=f"{marker}{n}")

    # when
    async with users_sessions() as db:
        page = await queries.list_profiles(
            db, queries.ProfileCriteria(text=marker), first=MAX_PAGE_SIZE
        )

    # then
    assert (len(page.rows), page.has_next_page) == (MAX_PAGE_SIZE, True)


async def test_concurrent_defaults_leave_exactly_one(users_sessions: Sessions) -> None:
    # given
    user_id = await _new_profile(users_sessions)
    addresses = [await saved_address(users_sessions, user_id) for _ in range(4)]

    # when
    async def make_default(address: models.Address) -> None:
        async with users_sessions() as db:
            await service.set_default_address(db, user_id, address.id)

    await asyncio.gather(*(make_default(address) for address in addresses))

    # then
    assert sorted((await defaults(users_sessions, models.Address, user_id)).values()) == [
        False,
        False,
        False,
        True,
    ]
