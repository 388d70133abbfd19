"""Auth tables, the outbox, and the three roles.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = {
    "customer": "Shops: the role every registered account gets.",
    "admin": "Manages users, roles and the catalogue.",
    "support": "Reads accounts to help customers.",
}


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(36), primary_key=True)


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user_id(*, ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column[str]:
    return sa.Column(
        "user_id", sa.String(36), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable
    )


def _token_columns() -> list[sa.Column[Any]]:
    return [
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _user_id(),
        _timestamp("expires_at"),
        _timestamp("created_at"),
    ]


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("email_verified", sa.Boolean, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("failed_login_attempts", sa.Integer, nullable=False),
        _timestamp("locked_until", nullable=True),
        _timestamp("last_login_at", nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
    )
    roles = op.create_table(
        "roles",
        _id(),
        sa.Column("name", sa.String(32), nullable=False, unique=True),
        sa.Column("description", sa.String(255), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
    )
    op.create_table(
        "user_roles",
        _id(),
        _user_id(),
        sa.Column(
            "role_id",
            sa.String(36),
            sa.ForeignKey("roles.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        _timestamp("created_at"),
        sa.UniqueConstraint("user_id", "role_id", name="uq_user_roles_user_id_role_id"),
    )
    op.create_table(
        "refresh_tokens",
        *_token_columns(),
        sa.Column("family_id", sa.String(36), nullable=False, index=True),
        sa.Column(
            "replaced_by_id", sa.String(36), sa.ForeignKey("refresh_tokens.id", ondelete="SET NULL")
        ),
        sa.Column("revoked", sa.Boolean, nullable=False),
        _timestamp("revoked_at", nullable=True),
    )
    op.create_table(
        "password_reset_tokens",
        *_token_columns(),
        sa.Column("used", sa.Boolean, nullable=False),
        _timestamp("used_at", nullable=True),
    )
    op.create_table(
        "email_verification_tokens",
        *_token_columns(),
        sa.Column("verified", sa.Boolean, nullable=False),
        _timestamp("verified_at", nullable=True),
    )
    for table in ("refresh_tokens", "password_reset_tokens", "email_verification_tokens"):
        op.create_index(f"ix_{table}_user_id", table, ["user_id"])
    op.create_table(
        "security_audit_logs",
        _id(),
        _user_id(ondelete="SET NULL", nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("ip_address", sa.String(64)),
        sa.Column("user_agent", sa.Text),
        sa.Column("metadata", postgresql.JSONB, nullable=False),
        _timestamp("created_at"),
        sa.Index("ix_security_audit_logs_user_id_created_at", "user_id", "created_at"),
        sa.Index("ix_security_audit_logs_created_at", "created_at"),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Index(
            "ix_outbox_events_unpublished", "id", postgresql_where=sa.text("published_at IS NULL")
        ),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        roles,
        [
            {
                "id": str(uuid4()),
                "name": name,
                "description": description,
                "created_at": now,
                "updated_at": now,
            }
            for name, description in ROLES.items()
        ],
    )


def downgrade() -> None:
    for table in (
        "outbox_events",
        "security_audit_logs",
        "email_verification_tokens",
        "password_reset_tokens",
        "refresh_tokens",
        "user_roles",
        "roles",
        "users",
    ):
        op.drop_table(table)
