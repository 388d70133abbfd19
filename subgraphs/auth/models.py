"""Tables of the auth database: accounts, roles, the three kinds of opaque tokens, the
security audit log, and the outbox.

Every token column holds the SHA-256 of the token a client got, never the token itself.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.database import IdMixin, TimestampMixin, new_metadata, utcnow
from shared.events.outbox import outbox_table

# Every token is stored as the hex SHA-256 of what the client holds.
TOKEN_HASH_LENGTH = 64


class Base(DeclarativeBase):
    metadata = new_metadata()


outbox_events = outbox_table(Base.metadata)


class RoleName(StrEnum):
    """The roles the initial migration seeds."""

    CUSTOMER = "customer"
    ADMIN = "admin"
    SUPPORT = "support"


class AuditAction(StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"
    ROLE_ASSIGNED = "role_assigned"
    ROLE_REVOKED = "role_revoked"
    USER_DEACTIVATED = "user_deactivated"


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    # Stored normalised (trimmed, lower-case), so the unique constraint is case-blind.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_login_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Loaded explicitly (joinedload) wherever it is read; lazy loading cannot run under asyncio.
    roles: Mapped[list[Role]] = relationship(secondary="user_roles", lazy="raise")

    @property
    def role_names(self) -> list[str]:
        return sorted(role.name for role in self.roles)

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def lock_has_expired(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until <= now


class Role(IdMixin, TimestampMixin, Base):
    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(255), default="")


class UserRole(IdMixin, Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role_id", name="uq_user_roles_user_id_role_id"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TokenMixin(IdMixin):
    """What the three kinds of opaque token share: a hash, an owner, an expiry."""

    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def has_expired(self, now: datetime) -> bool:
        return self.expires_at <= now


class RefreshToken(TokenMixin, Base):
    """One link of a rotation chain: every refresh revokes the presented token and issues
    its successor (``replaced_by_id``) in the same family, the unit revoked on reuse."""

    __tablename__ = "refresh_tokens"

    family_id: Mapped[str] = mapped_column(String(36), index=True)
    replaced_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("refresh_tokens.id", ondelete="SET NULL")
    )
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def was_rotated(self) -> bool:
        return self.replaced_by_id is not None


class PasswordResetToken(TokenMixin, Base):
    __tablename__ = "password_reset_tokens"

    used: Mapped[bool] = mapped_column(Boolean, default=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def is_spent(self) -> bool:
        return self.used

    def spend(self, now: datetime) -> None:
        self.used, self.used_at = True, now


class EmailVerificationToken(TokenMixin, Base):
    __tablename__ = "email_verification_tokens"

    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def is_spent(self) -> bool:
        return self.verified

    def spend(self, now: datetime) -> None:
        self.verified, self.verified_at = True, now


class SecurityAuditLog(IdMixin, Base):
    __tablename__ = "security_audit_logs"
    # Serves the admin listing: newest first, optionally for one user.
    __table_args__ = (
        Index("ix_security_audit_logs_user_id_created_at", "user_id", "created_at"),
        Index("ix_security_audit_logs_created_at", "created_at"),
    )

    # Null for a failed login with an unknown email.
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(Text)
    # ``metadata`` is taken by the declarative base, hence the attribute name.
    details: Mapped[dict[str, Any]] = mapped_column("metadata", JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
