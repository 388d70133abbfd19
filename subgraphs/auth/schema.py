"""The auth subgraph's GraphQL API: the ``User`` entity, sign-in flows, roles, audit log.

Who reads a ``User``: its ``id`` is public (other subgraphs reference it), every other
field is readable by the user themself and by staff (admin, support), and on the user
a sign-in mutation just returned (register, login, refreshToken, verifyEmail), whose
caller proved they own the account. Anyone else gets FORBIDDEN on those fields, in
``_entities`` as everywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.types import Info

from shared.auth.tokens import STAFF_ROLES
from shared.errors import forbidden
from shared.graphql import Context, PageInfo, SubgraphSchema
from shared.pagination import Page, encode_cursor
from subgraphs.auth import models, service, service_clients
from subgraphs.auth.credentials import Security
from subgraphs.auth.models import AuditAction, RoleName

# The audit actions, as a GraphQL enum of their own name (strawberry.enum marks the class).
strawberry.enum(AuditAction, name="SecurityAuditAction")


class SelfOrStaff(BasePermission):
    async def has_permission(self, source: User, info: Info[Context, None], **kwargs: Any) -> bool:
        if source.shown_to_owner:
            return True
        claims = await info.context.require_viewer()
        return claims.user_id == source.id or not claims.roles.isdisjoint(STAFF_ROLES)

    def on_unauthorized(self) -> None:
        raise forbidden("Only the user themself and staff can read this user's account.")


def _private() -> Any:
    return strawberry.field(permission_classes=[SelfOrStaff])


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    email: str = _private()
    roles: list[str] = _private()
    email_verified: bool = _private()
    is_active: bool = _private()
    created_at: datetime = _private()
    last_login_at: datetime | None = _private()
    shown_to_owner: strawberry.Private[bool] = False

    @classmethod
    def from_model(cls, row: models.User, *, shown_to_owner: bool = False) -> User:
        return cls(
            id=strawberry.ID(row.id),
            email=row.email,
            roles=row.role_names,
            email_verified=row.email_verified,
            is_active=row.is_active,
            created_at=row.created_at,
            last_login_at=row.last_login_at,
            shown_to_owner=shown_to_owner,
        )

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], id: strawberry.ID) -> User | None:
        row = await info.context.loader(service.load_users).load(str(id))
        return cls.from_model(row) if row else None


@strawberry.type
class SecurityAuditLog:
    id: strawberry.ID
    user_id: strawberry.ID | None
    action: AuditAction
    ip_address: str | None
    user_agent: str | None
    metadata: JSON
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.SecurityAuditLog) -> SecurityAuditLog:
        return cls(
            id=strawberry.ID(row.id),
            user_id=strawberry.ID(row.user_id) if row.user_id else None,
            action=AuditAction(row.action),
            ip_address=row.ip_address,
            user_agent=row.user_agent,
            metadata=JSON(row.details),
            created_at=row.created_at,
        )


@strawberry.type
class SecurityAuditLogEdge:
    cursor: str
    node: SecurityAuditLog


@strawberry.type
class SecurityAuditLogConnection:
    edges: list[SecurityAuditLogEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: Page[models.SecurityAuditLog]) -> SecurityAuditLogConnection:
        edges = [
            SecurityAuditLogEdge(cursor=encode_cursor(row), node=SecurityAuditLog.from_model(row))
            for row in page.rows
        ]
        return cls(edges=edges, page_info=PageInfo.from_page(page))


@strawberry.input
class RegisterInput:
    email: str
    password: str


@strawberry.type
class RegisterPayload:
    user: User


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.type
class LoginPayload:
    access_token: str
    refresh_token: str
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")
    user: User

    @classmethod
    def from_result(cls, result: service.LoginResult) -> LoginPayload:
        return cls(
            access_token=result.access_token,
            refresh_token=result.refresh_token,
            expires_in=result.expires_in,
            user=User.from_model(result.user, shown_to_owner=True),
        )


@strawberry.input
class LogoutInput:
    refresh_token: str


@strawberry.type
class LogoutPayload:
    ok: bool


@strawberry.input
class VerifyEmailInput:
    token: str


@strawberry.type
class VerifyEmailPayload:
    user: User


@strawberry.type
class RequestEmailVerificationPayload:
    ok: bool


@strawberry.input
class RequestPasswordResetInput:
    email: str


@strawberry.type
class RequestPasswordResetPayload:
    ok: bool


@strawberry.input
class ResetPasswordInput:
    token: str
    new_password: str


@strawberry.type
class ResetPasswordPayload:
    ok: bool


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.type
class ChangePasswordPayload:
    user: User


@strawberry.input
class RoleAssignInput:
    user_id: strawberry.ID
    role: str


@strawberry.type
class RoleAssignPayload:
    user: User


@strawberry.input
class RoleRevokeInput:
    user_id: strawberry.ID
    role: str


@strawberry.type
class RoleRevokePayload:
    user: User


@strawberry.input
class UserDeactivateInput:
    user_id: strawberry.ID


@strawberry.type
class UserDeactivatePayload:
    user: User


@strawberry.federation.input(inaccessible=True)
class ServiceTokenInput:
    client_id: str
    secret: str


@strawberry.federation.type(inaccessible=True)
class ServiceTokenPayload:
    access_token: str
    expires_in: int = strawberry.field(description="Seconds until the token expires.")


def _security(info: Info[Context, None]) -> Security:
    security: Security = info.context.extras["security"]
    return security


def _client(info: Info[Context, None]) -> service.ClientInfo:
    return service.ClientInfo(ip_address=info.context.client_ip, user_agent=info.context.user_agent)


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user.")
    async def me(self, info: Info[Context, None]) -> User | None:
        claims = await info.context.require_viewer()
        row = await info.context.loader(service.load_users).load(claims.user_id)
        return User.from_model(row) if row else None

    @strawberry.field(description="Any user by id: admin and support only.")
    async def user(self, info: Info[Context, None], id: strawberry.ID) -> User | None:
        await info.context.require_role(*STAFF_ROLES)
        row = await info.context.loader(service.load_users).load(str(id))
        return User.from_model(row) if row else None

    @strawberry.field(description="Security events, newest first: admin only.")
    async def security_audit_logs(
        self,
        info: Info[Context, None],
        user_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> SecurityAuditLogConnection:
        await info.context.require_role(RoleName.ADMIN)
        page = await service.list_audit_logs(
            info.context.db,
            user_id=str(user_id) if user_id is not None else None,
            first=first,
            after=after,
        )
        return SecurityAuditLogConnection.from_page(page)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a customer account; mails a verification token.")
    async def register(self, info: Info[Context, None], input: RegisterInput) -> RegisterPayload:
        row = await service.register(
            info.context.db, _security(info), email=input.email, password=input.password
        )
        return RegisterPayload(user=User.from_model(row, shown_to_owner=True))

    @strawberry.mutation
    async def login(self, info: Info[Context, None], input: LoginInput) -> LoginPayload:
        result = await service.login(
            info.context.db,
            _security(info),
            email=input.email,
            password=input.password,
            client=_client(info),
        )
        return LoginPayload.from_result(result)

    @strawberry.mutation(description="Rotate a refresh token: a new access and refresh token.")
    async def refresh_token(self, info: Info[Context, None], token: str) -> LoginPayload:
        result = await service.refresh_session(
            info.context.db, _security(info), token=token, client=_client(info)
        )
        return LoginPayload.from_result(result)

    @strawberry.mutation(description="End the session the refresh token belongs to.")
    async def logout(self, info: Info[Context, None], input: LogoutInput) -> LogoutPayload:
        await service.logout(info.context.db, token=input.refresh_token)
        return LogoutPayload(ok=True)

    @strawberry.mutation
    async def verify_email(
        self, info: Info[Context, None], input: VerifyEmailInput
    ) -> VerifyEmailPayload:
        row = await service.verify_email(info.context.db, token=input.token)
        return VerifyEmailPayload(user=User.from_model(row, shown_to_owner=True))

    @strawberry.mutation(description="Mail the signed-in user a new verification token.")
    async def request_email_verification(
        self, info: Info[Context, None]
    ) -> RequestEmailVerificationPayload:
        claims = await info.context.require_viewer()
        await service.request_email_verification(
            info.context.db, _security(info), user_id=claims.user_id
        )
        return RequestEmailVerificationPayload(ok=True)

    @strawberry.mutation(description="Mail a reset token if the account exists; always ok.")
    async def request_password_reset(
        self, info: Info[Context, None], input: RequestPasswordResetInput
    ) -> RequestPasswordResetPayload:
        await service.request_password_reset(info.context.db, _security(info), email=input.email)
        return RequestPasswordResetPayload(ok=True)

    @strawberry.mutation(description="Set a new password with a reset token; ends all sessions.")
    async def reset_password(
        self, info: Info[Context, None], input: ResetPasswordInput
    ) -> ResetPasswordPayload:
        await service.reset_password(
            info.context.db,
            _security(info),
            token=input.token,
            new_password=input.new_password,
            client=_client(info),
        )
        return ResetPasswordPayload(ok=True)

    @strawberry.mutation(description="Change the signed-in user's password; ends all sessions.")
    async def change_password(
        self, info: Info[Context, None], input: ChangePasswordInput
    ) -> ChangePasswordPayload:
        claims = await info.context.require_viewer()
        row = await service.change_password(
            info.context.db,
            _security(info),
            user_id=claims.user_id,
            current_password=input.current_password,
            new_password=input.new_password,
            client=_client(info),
        )
        return ChangePasswordPayload(user=User.from_model(row))

    @strawberry.mutation(description="Give a user a role: admin only.")
    async def role_assign(
        self, info: Info[Context, None], input: RoleAssignInput
    ) -> RoleAssignPayload:
        admin = await info.context.require_role(RoleName.ADMIN)
        row = await service.assign_role(
            info.context.db,
            user_id=str(input.user_id),
            role=input.role,
            actor_id=admin.user_id,
            client=_client(info),
        )
        return RoleAssignPayload(user=User.from_model(row))

    @strawberry.mutation(description="Take a role from a user: admin only.")
    async def role_revoke(
        self, info: Info[Context, None], input: RoleRevokeInput
    ) -> RoleRevokePayload:
        admin = await info.context.require_role(RoleName.ADMIN)
        row = await service.revoke_role(
            info.context.db,
            user_id=str(input.user_id),
            role=input.role,
            actor_id=admin.user_id,
            client=_client(info),
        )
        return RoleRevokePayload(user=User.from_model(row))

    @strawberry.mutation(description="Close an account and end its sessions: admin only.")
    async def user_deactivate(
        self, info: Info[Context, None], input: UserDeactivateInput
    ) -> UserDeactivatePayload:
        admin = await info.context.require_role(RoleName.ADMIN)
        row = await service.deactivate_user(
            info.context.db,
            user_id=str(input.user_id),
            actor_id=admin.user_id,
            client=_client(info),
        )
        return UserDeactivatePayload(user=User.from_model(row))

    @strawberry.federation.mutation(
        inaccessible=True,
        description="Services only, called directly: a short-lived token with role service.",
    )
    async def service_token(
        self, info: Info[Context, None], input: ServiceTokenInput
    ) -> ServiceTokenPayload:
        token = service_clients.issue_service_token(
            _security(info), client_id=input.client_id, secret=input.secret
        )
        return ServiceTokenPayload(access_token=token.access_token, expires_in=token.expires_in)


schema = SubgraphSchema(query=Query, mutation=Mutation)
