"""The auth domain: accounts, credentials, sessions (rotating refresh tokens), one-time
tokens for email verification and password reset, roles, and the security audit log.

Every function that changes state commits, with its outgoing events in the same
transaction. Refusals that must leave a trace (a failed login, a reused refresh token)
commit that trace before raising, since the request's session is otherwise rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from shared.database import new_id, utcnow
from shared.errors import DomainError, ErrorCode, not_found
from shared.events.outbox import enqueue
from shared.pagination import Page, paginate
from shared.settings import Settings
from subgraphs.auth import events, models
from subgraphs.auth.credentials import (
    Security,
    hash_token,
    new_token,
    normalize_email,
    validate_email,
    validate_password,
)
from subgraphs.auth.models import AuditAction, RoleName

OneTimeToken = TypeVar("OneTimeToken", models.PasswordResetToken, models.EmailVerificationToken)


class AuthErrorCode(StrEnum):
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED"
    ACCOUNT_INACTIVE = "ACCOUNT_INACTIVE"
    TOKEN_INVALID = "TOKEN_INVALID"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_REUSED = "TOKEN_REUSED"
    EMAIL_ALREADY_VERIFIED = "EMAIL_ALREADY_VERIFIED"


@dataclass(frozen=True)
class ClientInfo:
    """Where a request came from, as the audit log records it."""

    ip_address: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class LoginResult:
    user: models.User
    access_token: str
    refresh_token: str
    expires_in: int


async def register(
    db: AsyncSession, security: Security, *, email: str, password: str
) -> models.User:
    """Create a customer account and mail it an email verification token.

    Two registrations of one email can race past any check; the unique constraint on
    ``users.email`` decides, and the loser gets the same CONFLICT as a plain duplicate.
    """
    email = validate_email(email)
    validate_password(password, field="password")
    customer = await _role(db, RoleName.CUSTOMER)
    password_hash = await security.hasher.hash_async(password)
    user = models.User(email=email, password_hash=password_hash, roles=[customer])
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise DomainError(
            ErrorCode.CONFLICT, "An account with this email already exists.", field="email"
        ) from None
    await enqueue(db, events.user_registered(user))
    await _send_email_verification(db, security, user)
    await db.commit()
    return user


async def login(
    db: AsyncSession, security: Security, *, email: str, password: str, client: ClientInfo
) -> LoginResult:
    """Exchange credentials for an access token and a new refresh-token family.

    An unknown email and a wrong password get the same error. The lockout threshold's
    failed attempt locks the account for ``lockout_seconds``, during which even the right
    password is refused; a success resets the count.
    """
    now = utcnow()
    user = await _user_by_email(db, normalize_email(email), for_update=True)
    if user is None:
        await security.hasher.verify_async(security.dummy_hash, password)
        _audit(db, client, None, AuditAction.LOGIN_FAILED, {"reason": "unknown_email"})
        await _commit_and_raise(db, _invalid_credentials())
    if user.is_locked(now):
        _audit(db, client, user.id, AuditAction.LOGIN_FAILED, {"reason": "locked"})
        await _commit_and_raise(db, _account_locked())
    if user.lock_has_expired(now):
        user.failed_login_attempts, user.locked_until = 0, None
    check = await security.hasher.verify_async(user.password_hash, password)
    if not check.ok:
        _count_failed_attempt(db, security.settings, client, user, now)
        await _commit_and_raise(db, _invalid_credentials())
    if not user.is_active:
        _audit(db, client, user.id, AuditAction.LOGIN_FAILED, {"reason": "inactive"})
        await _commit_and_raise(db, _account_inactive())
    if check.new_hash:
        user.password_hash = check.new_hash
    user.failed_login_attempts, user.last_login_at = 0, now
    _audit(db, client, user.id, AuditAction.LOGIN_SUCCEEDED)
    await enqueue(db, events.user_logged_in(user, now))
    _, refresh_token = await _new_refresh_token(db, security.settings, user, family_id=new_id())
    await db.commit()
    return _login_result(security, user, refresh_token)


async def refresh_session(
    db: AsyncSession, security: Security, *, token: str, client: ClientInfo
) -> LoginResult:
    """Rotate a refresh token: revoke it and issue its successor in the same family.

    A token presented again after it was rotated means someone else holds the family
    (a stolen token): the whole family is revoked, the successor included.
    """
    now = utcnow()
    presented = await _refresh_token(db, token, for_update=True)
    if presented is None:
        raise _token_invalid("refresh")
    if presented.was_rotated():
        await _revoke_refresh_tokens(db, models.RefreshToken.family_id == presented.family_id)
        details = {"familyId": presented.family_id}
        _audit(db, client, presented.user_id, AuditAction.REFRESH_TOKEN_REUSED, details)
        await _commit_and_raise(db, _token_reused())
    if presented.revoked:
        raise _token_invalid("refresh")
    if presented.has_expired(now):
        raise _token_expired("refresh")
    user = await _user(db, presented.user_id)
    if not user.is_active:
        raise _account_inactive()
    successor, refresh_token = await _new_refresh_token(
        db, security.settings, user, family_id=presented.family_id
    )
    presented.revoked, presented.revoked_at, presented.replaced_by_id = True, now, successor.id
    await db.commit()
    return _login_result(security, user, refresh_token)


async def logout(db: AsyncSession, *, token: str) -> None:
    """Revoke the refresh token's whole family. An unknown token is not an error."""
    presented = await _refresh_token(db, token)
    if presented is not None:
        await _revoke_refresh_tokens(db, models.RefreshToken.family_id == presented.family_id)
        await db.commit()


async def request_email_verification(db: AsyncSession, security: Security, *, user_id: str) -> None:
    user = await _user(db, user_id)
    if user.email_verified:
        raise DomainError(AuthErrorCode.EMAIL_ALREADY_VERIFIED, "The email is already verified.")
    await _send_email_verification(db, security, user)
    await db.commit()


async def verify_email(db: AsyncSession, *, token: str) -> models.User:
    verification = await _redeem(db, models.EmailVerificationToken, token, "verification")
    user = await _user(db, verification.user_id)
    user.email_verified = True
    await enqueue(db, events.user_email_verified(user))
    await db.commit()
    return user


async def request_password_reset(db: AsyncSession, security: Security, *, email: str) -> None:
    """Mail a reset token when an active account has this email; silent otherwise, so the
    caller cannot tell which emails have accounts."""
    user = await _user_by_email(db, normalize_email(email))
    if user is None or not user.is_active:
        return
    raw, digest, expires_at = new_token(security.settings.password_reset_ttl_seconds)
    db.add(models.PasswordResetToken(token_hash=digest, user_id=user.id, expires_at=expires_at))
    await enqueue(db, events.user_password_reset_requested(user, raw, expires_at))
    await db.commit()


async def reset_password(
    db: AsyncSession, security: Security, *, token: str, new_password: str, client: ClientInfo
) -> None:
    """Set a new password with a reset token; ends every session and lifts a lockout."""
    # Checked first, so a weak password does not spend the token.
    validate_password(new_password, field="newPassword")
    reset = await _redeem(db, models.PasswordResetToken, token, "reset")
    user = await _user(db, reset.user_id)
    await _set_password(db, security, user, new_password)
    user.failed_login_attempts, user.locked_until = 0, None
    _audit(db, client, user.id, AuditAction.PASSWORD_RESET)
    await enqueue(db, events.user_password_changed(user, via="reset"))
    await db.commit()


async def change_password(
    db: AsyncSession,
    security: Security,
    *,
    user_id: str,
    current_password: str,
    new_password: str,
    client: ClientInfo,
) -> models.User:
    """Replace a password the user knows; ends every session, this one's refresh token too."""
    validate_password(new_password, field="newPassword")
    user = await _user(db, user_id)
    if not (await security.hasher.verify_async(user.password_hash, current_password)).ok:
        raise DomainError(
            AuthErrorCode.INVALID_CREDENTIALS,
            "The current password is incorrect.",
            field="currentPassword",
        )
    await _set_password(db, security, user, new_password)
    _audit(db, client, user.id, AuditAction.PASSWORD_CHANGED)
    await enqueue(db, events.user_password_changed(user, via="change"))
    await db.commit()
    return user


async def assign_role(
    db: AsyncSession, *, user_id: str, role: str, actor_id: str | None, client: ClientInfo
) -> models.User:
    """Give a user a role; giving one they have changes nothing."""
    return await _change_role(db, user_id, role, actor_id, client, assign=True)


async def revoke_role(
    db: AsyncSession, *, user_id: str, role: str, actor_id: str | None, client: ClientInfo
) -> models.User:
    """Take a role away; access tokens already issued keep it until they expire."""
    return await _change_role(db, user_id, role, actor_id, client, assign=False)


async def grant_role(db: AsyncSession, *, email: str, role: str) -> models.User:
    """Give a role outside GraphQL, by email: how the first admin is made."""
    user = await _user_by_email(db, normalize_email(email))
    if user is None:
        raise not_found("User", field="email")
    return await assign_role(db, user_id=user.id, role=role, actor_id=None, client=ClientInfo())


async def deactivate_user(
    db: AsyncSession, *, user_id: str, actor_id: str, client: ClientInfo
) -> models.User:
    """Close an account: no more logins or refreshes; issued access tokens run out."""
    user = await _user(db, user_id)
    if user.is_active:
        user.is_active = False
        await _revoke_refresh_tokens(db, models.RefreshToken.user_id == user.id)
        _audit(db, client, user.id, AuditAction.USER_DEACTIVATED, {"by": actor_id})
        await enqueue(db, events.user_deactivated(user))
        await db.commit()
    return user


async def get_user(db: AsyncSession, user_id: str) -> models.User | None:
    stmt = _users_with_roles().where(models.User.id == user_id)
    return (await db.execute(stmt)).unique().scalar_one_or_none()


async def load_users(db: AsyncSession, ids: list[str]) -> list[models.User | None]:
    """Users (with roles) in key order, None for unknown ids: one SQL statement."""
    rows = (await db.execute(_users_with_roles().where(models.User.id.in_(ids)))).unique()
    by_id = {user.id: user for user in rows.scalars()}
    return [by_id.get(user_id) for user_id in ids]


async def list_audit_logs(
    db: AsyncSession, *, user_id: str | None, first: int, after: str | None
) -> Page[models.SecurityAuditLog]:
    """Audit entries newest first, ``first`` at a time after the cursor ``after``."""
    log = models.SecurityAuditLog
    stmt = select(log)
    if user_id is not None:
        stmt = stmt.where(log.user_id == user_id)
    return await paginate(db, stmt, log, first=first, after=after, newest_first=True)


def _users_with_roles() -> Select[models.User]:
    return select(models.User).options(joinedload(models.User.roles))


async def _user_by_email(
    db: AsyncSession, email: str, *, for_update: bool = False
) -> models.User | None:
    stmt = _users_with_roles().where(models.User.email == email)
    if for_update:
        # Concurrent failed logins must each count.
        stmt = stmt.with_for_update(of=models.User)
    return (await db.execute(stmt)).unique().scalar_one_or_none()


async def _user(db: AsyncSession, user_id: str) -> models.User:
    user = await get_user(db, user_id)
    if user is None:
        raise not_found("User", field="userId")
    return user


async def _role(db: AsyncSession, name: str) -> models.Role:
    role = await db.scalar(select(models.Role).where(models.Role.name == name))
    if role is None:
        raise not_found("Role", field="role")
    return role


async def _change_role(
    db: AsyncSession,
    user_id: str,
    role: str,
    actor_id: str | None,
    client: ClientInfo,
    *,
    assign: bool,
) -> models.User:
    user = await _user(db, user_id)
    changed = await _role(db, role)
    if (changed in user.roles) == assign:
        return user
    if assign:
        user.roles.append(changed)
    else:
        user.roles.remove(changed)
    action = AuditAction.ROLE_ASSIGNED if assign else AuditAction.ROLE_REVOKED
    _audit(db, client, user.id, action, {"role": changed.name, "by": actor_id})
    await enqueue(db, events.user_roles_changed(user))
    await db.commit()
    return user


async def _refresh_token(
    db: AsyncSession, raw: str, *, for_update: bool = False
) -> models.RefreshToken | None:
    stmt = select(models.RefreshToken).where(models.RefreshToken.token_hash == hash_token(raw))
    if for_update:
        # Two refreshes with one token: the second waits, then sees it rotated (reuse).
        stmt = stmt.with_for_update()
    return await db.scalar(stmt)


async def _new_refresh_token(
    db: AsyncSession, settings: Settings, user: models.User, *, family_id: str
) -> tuple[models.RefreshToken, str]:
    """A stored refresh token and the raw token for the client."""
    raw, digest, expires_at = new_token(settings.refresh_token_ttl_seconds)
    token = models.RefreshToken(
        token_hash=digest, user_id=user.id, family_id=family_id, expires_at=expires_at
    )
    db.add(token)
    # Inserted now: the presented token's replaced_by_id will reference it, and a flush
    # would otherwise run that UPDATE before this INSERT.
    await db.flush()
    return token, raw


def _login_result(security: Security, user: models.User, refresh_token: str) -> LoginResult:
    access = security.issuer.issue(user_id=user.id, email=user.email, roles=user.role_names)
    return LoginResult(user, access, refresh_token, security.settings.access_token_ttl_seconds)


async def _revoke_refresh_tokens(db: AsyncSession, which: ColumnElement[bool]) -> None:
    token = models.RefreshToken
    await db.execute(
        update(token)
        .where(which, token.revoked.is_(False))
        .values(revoked=True, revoked_at=utcnow())
    )


async def _set_password(
    db: AsyncSession, security: Security, user: models.User, password: str
) -> None:
    user.password_hash = await security.hasher.hash_async(password)
    await _revoke_refresh_tokens(db, models.RefreshToken.user_id == user.id)


async def _send_email_verification(db: AsyncSession, security: Security, user: models.User) -> None:
    raw, digest, expires_at = new_token(security.settings.email_verification_ttl_seconds)
    db.add(models.EmailVerificationToken(token_hash=digest, user_id=user.id, expires_at=expires_at))
    await enqueue(db, events.user_email_verification_requested(user, raw, expires_at))


async def _redeem(db: AsyncSession, model: type[OneTimeToken], raw: str, kind: str) -> OneTimeToken:
    """Spend a single-use token: TOKEN_INVALID when unknown or spent, TOKEN_EXPIRED after."""
    now = utcnow()
    stmt = select(model).where(model.token_hash == hash_token(raw)).with_for_update()
    row = await db.scalar(stmt)
    if row is None or row.is_spent():
        raise _token_invalid(kind)
    if row.has_expired(now):
        raise _token_expired(kind)
    row.spend(now)
    return row


def _count_failed_attempt(
    db: AsyncSession, settings: Settings, client: ClientInfo, user: models.User, now: datetime
) -> None:
    user.failed_login_attempts += 1
    details = {"reason": "wrong_password", "failedAttempts": user.failed_login_attempts}
    _audit(db, client, user.id, AuditAction.LOGIN_FAILED, details)
    if user.failed_login_attempts >= settings.lockout_threshold:
        user.locked_until = now + timedelta(seconds=settings.lockout_seconds)
        details = {"lockedUntil": user.locked_until.isoformat()}
        _audit(db, client, user.id, AuditAction.ACCOUNT_LOCKED, details)


def _audit(
    db: AsyncSession,
    client: ClientInfo,
    user_id: str | None,
    action: AuditAction,
    details: dict[str, Any] | None = None,
) -> None:
    db.add(
        models.SecurityAuditLog(
            user_id=user_id,
            action=action.value,
            ip_address=client.ip_address,
            user_agent=client.user_agent,
            details=details or {},
        )
    )


async def _commit_and_raise(db: AsyncSession, error: DomainError) -> NoReturn:
    """Keep what was recorded about a refused request; raising alone would roll it back."""
    await db.commit()
    raise error


def _invalid_credentials() -> DomainError:
    return DomainError(AuthErrorCode.INVALID_CREDENTIALS, "The email or password is incorrect.")


def _account_locked() -> DomainError:
    return DomainError(
        AuthErrorCode.ACCOUNT_LOCKED,
        "The account is locked after too many failed sign-in attempts; try again later.",
    )


def _account_inactive() -> DomainError:
    return DomainError(AuthErrorCode.ACCOUNT_INACTIVE, "This account has been deactivated.")


def _token_invalid(kind: str) -> DomainError:
    return DomainError(
        AuthErrorCode.TOKEN_INVALID, f"The {kind} token is not valid.", field="token"
    )


def _token_expired(kind: str) -> DomainError:
    return DomainError(AuthErrorCode.TOKEN_EXPIRED, f"The {kind} token has expired.", field="token")


def _token_reused() -> DomainError:
    return DomainError(
        AuthErrorCode.TOKEN_REUSED,
        "This refresh token was already used: every session of its family is revoked.",
        field="token",
    )
