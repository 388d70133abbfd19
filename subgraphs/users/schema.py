"""The users subgraph: its queries, and the schema that joins them to the mutations.

``myProfile`` serves the caller; the lookups and lists serve staff (admin, support).
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from shared.auth.tokens import STAFF_ROLES
from shared.graphql import PageInfo, SubgraphSchema, given_fields
from shared.pagination import Page, encode_cursor
from subgraphs.users import models, queries
from subgraphs.users.mutations import Mutation
from subgraphs.users.types import (
    Info,
    Product,
    User,
    UserProfile,
    from_row,
    user_of,
    users_of,
)


@strawberry.input(description="Every given criterion must match; text matches email or name.")
class UserFilter:
    text: str | None = None
    is_active: bool | None = None
    email_verified: bool | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


@strawberry.type
class UserEdge:
    cursor: str
    node: User


@strawberry.type
class UserConnection:
    edges: list[UserEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, info: Info, page: Page[models.Profile]) -> UserConnection:
        users = users_of(info, page.rows)
        edges = [
            UserEdge(cursor=encode_cursor(profile), node=user)
            for profile, user in zip(page.rows, users, strict=True)
        ]
        return cls(edges=edges, page_info=PageInfo.from_page(page))


@strawberry.type
class Query:
    @strawberry.field(description="The caller's profile; null until registration is processed.")
    async def my_profile(self, info: Info) -> UserProfile | None:
        viewer = await info.context.require_viewer()
        row = await info.context.loader(queries.profiles_by_user_ids).load(viewer.user_id)
        return from_row(UserProfile, row) if row is not None else None

    @strawberry.field(description="Staff only.")
    async def user_by_email(self, info: Info, email: str) -> User | None:
        await info.context.require_role(*STAFF_ROLES)
        return user_of(info, await queries.find_profile_by_email(info.context.db, email))

    @strawberry.field(description="Staff only; the phone may be written with separators.")
    async def user_by_phone(self, info: Info, phone: str) -> User | None:
        await info.context.require_role(*STAFF_ROLES)
        return user_of(info, await queries.find_profile_by_phone(info.context.db, phone))

    @strawberry.field(description="Staff only.")
    async def email_exists(self, info: Info, email: str) -> bool:
        await info.context.require_role(*STAFF_ROLES)
        return await queries.find_profile_by_email(info.context.db, email) is not None

    @strawberry.field(description="Staff only.")
    async def phone_exists(self, info: Info, phone: str) -> bool:
        await info.context.require_role(*STAFF_ROLES)
        return await queries.find_profile_by_phone(info.context.db, phone) is not None

    @strawberry.field(description="Staff only. Oldest first; first is at most 100.")
    async def users(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: UserFilter | None = None,
    ) -> UserConnection:
        await info.context.require_role(*STAFF_ROLES)
        criteria = queries.ProfileCriteria(**given_fields(filter or UserFilter()))
        page = await queries.list_profiles(info.context.db, criteria, first=first, after=after)
        return UserConnection.from_page(info, page)


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[User, Product])
