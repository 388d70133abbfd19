"""The users domain's reads: lookups, the batched loaders behind ``User``'s fields, and
the staff's paginated list of profiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    String,
    any_,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.auth.tokens import STAFF_ROLES, AccessClaims
from shared.errors import forbidden
from shared.pagination import Page, paginate
from subgraphs.users import validation as uv
from subgraphs.users.models import Address, PaymentMethod, Preference, Profile, WishlistItem


def ensure_can_read(viewer: AccessClaims, user_id: str) -> None:
    """Customers read their own data; staff read everyone's."""
    if viewer.user_id != user_id and not viewer.roles & STAFF_ROLES:
        raise forbidden()


async def get_profile(db: AsyncSession, user_id: str) -> Profile | None:
    return await db.scalar(select(Profile).where(Profile.user_id == user_id))


async def find_profile_by_email(db: AsyncSession, email: str) -> Profile | None:
    address = v.required(v.text(320))(email, "email").lower()
    return await db.scalar(select(Profile).where(Profile.email == address))


async def find_profile_by_phone(db: AsyncSession, phone: str) -> Profile | None:
    number = uv.phone_number(phone, "phone")
    if number is None:
        return None
    return await db.scalar(select(Profile).where(Profile.phone == number))


async def profiles_by_user_ids(db: AsyncSession, user_ids: list[str]) -> list[Profile | None]:
    rows = await db.scalars(select(Profile).where(Profile.user_id == _any(user_ids)))
    by_user = {row.user_id: row for row in rows}
    return [by_user.get(user_id) for user_id in user_ids]


async def addresses_by_user_ids(db: AsyncSession, user_ids: list[str]) -> list[list[Address]]:
    order = (Address.is_default.desc(), Address.created_at, Address.id)
    return await _grouped(db, Address, user_ids, order)


async def payment_methods_by_user_ids(
    db: AsyncSession, user_ids: list[str]
) -> list[list[PaymentMethod]]:
    order = (PaymentMethod.is_default.desc(), PaymentMethod.created_at, PaymentMethod.id)
    return await _grouped(db, PaymentMethod, user_ids, order)


async def preferences_by_user_ids(db: AsyncSession, user_ids: list[str]) -> list[list[Preference]]:
    return await _grouped(db, Preference, user_ids, (Preference.key,))


async def wishlists_by_user_ids(db: AsyncSession, user_ids: list[str]) -> list[list[WishlistItem]]:
    order = (WishlistItem.created_at.desc(), WishlistItem.id)
    return await _grouped(db, WishlistItem, user_ids, order)


Child = TypeVar("Child", Address, PaymentMethod, Preference, WishlistItem)


async def _grouped(
    db: AsyncSession,
    model: type[Child],
    user_ids: list[str],
    order_by: Sequence[ColumnExpressionArgument[Any]],
) -> list[list[Child]]:
    """Each user's rows, in key order, in one statement."""
    rows = await db.scalars(
        select(model).where(model.user_id == _any(user_ids)).order_by(*order_by)
    )
    groups: dict[str, list[Child]] = {user_id: [] for user_id in user_ids}
    for row in rows:
        groups[row.user_id].append(row)
    return [groups[user_id] for user_id in user_ids]


def _any(ids: list[str]) -> ColumnElement[Any]:
    # One array parameter, so N keys make one statement with one stable text.
    return any_(literal(ids, ARRAY(String)))


@dataclass(frozen=True)
class ProfileCriteria:
    text: str | None = None
    is_active: bool | None = None
    email_verified: bool | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


async def list_profiles(
    db: AsyncSession, criteria: ProfileCriteria, *, first: int, after: str | None = None
) -> Page[Profile]:
    """Profiles matching ``criteria``, oldest first, ``first`` at a time after ``after``."""
    stmt = select(Profile).where(*_criteria_filters(criteria))
    return await paginate(db, stmt, Profile, first=first, after=after)


def _criteria_filters(criteria: ProfileCriteria) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    text = v.text(100)(criteria.text, "text")
    if text is not None:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        full_name = func.concat_ws(" ", Profile.first_name, Profile.last_name)
        filters.append(or_(Profile.email.ilike(pattern), full_name.ilike(pattern)))
    if criteria.is_active is not None:
        filters.append(Profile.is_active.is_(criteria.is_active))
    if criteria.email_verified is not None:
        filters.append(Profile.email_verified.is_(criteria.email_verified))
    if criteria.created_after is not None:
        filters.append(Profile.created_at >= criteria.created_after)
    if criteria.created_before is not None:
        filters.append(Profile.created_at < criteria.created_before)
    return filters
