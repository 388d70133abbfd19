"""The users database: profiles, addresses, payment methods, preferences, wishlists,
the outbox and the user_event_logs inbox.

Revision ID: 0001
Revises:
Create Date: 2025-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(36), nullable=False)


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    ]


def _owner(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profiles.user_id"],
            name=f"fk_{table}_user_id_user_profiles",
            ondelete="CASCADE",
        ),
    ]


def _flag(name: str, default: bool) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False, server_default=sa.text(str(default).lower()))


def upgrade() -> None:
    op.create_table(
        "user_profiles",
        _id(),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("first_name", sa.String(100)),
        sa.Column("last_name", sa.String(100)),
        sa.Column("phone", sa.String(16)),
        sa.Column("avatar_url", sa.String(2048)),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("gender", sa.String(32)),
        sa.Column("preferred_currency", sa.String(3)),
        sa.Column("preferred_language", sa.String(35)),
        _flag("newsletter_subscribed", False),
        _flag("marketing_opt_in", False),
        _flag("is_active", True),
        _flag("email_verified", False),
        sa.Column("last_login_at", TIMESTAMP),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_user_profiles"),
        sa.UniqueConstraint("user_id", name="uq_user_profiles_user_id"),
        sa.UniqueConstraint("email", name="uq_user_profiles_email"),
        sa.UniqueConstraint("phone", name="uq_user_profiles_phone"),
    )
    op.create_index("ix_user_profiles_created_at_id", "user_profiles", ["created_at", "id"])

    op.create_table(
        "user_addresses",
        _id(),
        *_owner("user_addresses"),
        sa.Column("type", sa.String(16), nullable=False),
        _flag("is_default", False),
        sa.Column("first_name", sa.String(100)),
        sa.Column("last_name", sa.String(100)),
        sa.Column("company", sa.String(200)),
        sa.Column("address_line1", sa.String(200), nullable=False),
        sa.Column("address_line2", sa.String(200)),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(100)),
        sa.Column("postal_code", sa.String(20), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("phone", sa.String(16)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_user_addresses"),
        sa.CheckConstraint(
            "type IN ('shipping', 'billing', 'both')", name="ck_user_addresses_type"
        ),
    )
    op.create_index("ix_user_addresses_user_id", "user_addresses", ["user_id"])
    op.create_index(
        "uq_user_addresses_default_per_type",
        "user_addresses",
        ["user_id", "type"],
        unique=True,
        postgresql_where=sa.text("is_default"),
    )

    op.create_table(
        "user_payment_methods",
        _id(),
        *_owner("user_payment_methods"),
        sa.Column("type", sa.String(16), nullable=False),
        _flag("is_default", False),
        sa.Column("card_type", sa.String(32)),
        sa.Column("last4", sa.String(4)),
        sa.Column("expiry_month", sa.Integer),
        sa.Column("expiry_year", sa.Integer),
        sa.Column("cardholder_name", sa.String(200)),
        sa.Column("billing_address_id", sa.String(36)),
        sa.Column("provider_token", sa.String(255), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_user_payment_methods"),
        sa.ForeignKeyConstraint(
            ["billing_address_id"],
            ["user_addresses.id"],
            name="fk_user_payment_methods_billing_address_id_user_addresses",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("user_id", "provider_token", name="uq_user_payment_methods_token"),
        sa.CheckConstraint(
            "type IN ('credit_card', 'debit_card', 'paypal')", name="ck_user_payment_methods_type"
        ),
        sa.CheckConstraint("last4 ~ '^[0-9]{4}$'", name="ck_user_payment_methods_last4"),
        sa.CheckConstraint(
            "expiry_month BETWEEN 1 AND 12", name="ck_user_payment_methods_expiry_month"
        ),
    )
    op.create_index("ix_user_payment_methods_user_id", "user_payment_methods", ["user_id"])
    op.create_index(
        "uq_user_payment_methods_default",
        "user_payment_methods",
        ["user_id"],
        unique=True,
        postgresql_where=sa.text("is_default"),
    )

    op.create_table(
        "user_preferences",
        _id(),
        *_owner("user_preferences"),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_user_preferences"),
        sa.UniqueConstraint("user_id", "key", name="uq_user_preferences_user_key"),
    )

    op.create_table(
        "user_wishlist_items",
        _id(),
        *_owner("user_wishlist_items"),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("product_name", sa.String(255)),
        sa.Column("product_image_url", sa.String(2048)),
        sa.Column("product_price", sa.Numeric(12, 2)),
        sa.Column("product_currency", sa.String(3)),
        sa.Column("notes", sa.String(500)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_user_wishlist_items"),
        sa.UniqueConstraint("user_id", "product_id", name="uq_user_wishlist_items_user_product"),
    )

    op.create_table(
        "user_event_logs",
        _id(),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(255), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        _flag("processed", False),
        sa.Column("processed_at", TIMESTAMP),
        sa.Column("error", sa.Text),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_user_event_logs"),
        sa.UniqueConstraint("event_id", name="uq_user_event_logs_event_id"),
    )

    op.create_table(
        "outbox_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.Column("published_at", TIMESTAMP),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_events"),
        sa.UniqueConstraint("event_id", name="uq_outbox_events_event_id"),
    )
    op.create_index(
        "ix_outbox_events_unpublished",
        "outbox_events",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
    )


def downgrade() -> None:
    for table in (
        "outbox_events",
        "user_event_logs",
        "user_wishlist_items",
        "user_preferences",
        "user_payment_methods",
        "user_addresses",
        "user_profiles",
    ):
        op.drop_table(table)
