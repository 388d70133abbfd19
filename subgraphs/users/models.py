"""The users database: profiles and what hangs off them, plus the outbox and the inbox.

Children reference ``user_profiles.user_id`` (the auth user id), which is what every
other service calls the user by.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import IdMixin, TimestampMixin, new_metadata
from shared.events.inbox import inbox_table
from shared.events.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = new_metadata()


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    OTHER = "other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class AddressType(StrEnum):
    SHIPPING = "shipping"
    BILLING = "billing"
    BOTH = "both"

    def overlapping(self) -> tuple[AddressType, ...]:
        """The types that serve a purpose this one serves: a default of any of them
        competes with a default of this one."""
        if self is AddressType.BOTH:
            return tuple(AddressType)
        return (self, AddressType.BOTH)


class PaymentMethodType(StrEnum):
    CREDIT_CARD = "credit_card"
    DEBIT_CARD = "debit_card"
    PAYPAL = "paypal"

    @property
    def is_card(self) -> bool:
        return self is not PaymentMethodType.PAYPAL


def _user_fk() -> ForeignKey:
    return ForeignKey("user_profiles.user_id", ondelete="CASCADE")


class Profile(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_profiles"
    __table_args__ = (Index("ix_user_profiles_created_at_id", "created_at", "id"),)

    user_id: Mapped[str] = mapped_column(String(36), unique=True)
    # Lower-cased copy of the auth account's email.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    # E.164: '+' and up to 15 digits.
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    avatar_url: Mapped[str | None] = mapped_column(String(2048))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(32))
    preferred_currency: Mapped[str | None] = mapped_column(String(3))
    preferred_language: Mapped[str | None] = mapped_column(String(35))
    newsletter_subscribed: Mapped[bool] = mapped_column(Boolean, server_default=false())
    marketing_opt_in: Mapped[bool] = mapped_column(Boolean, server_default=false())
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    email_verified: Mapped[bool] = mapped_column(Boolean, server_default=false())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Address(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_addresses"
    __table_args__ = (
        CheckConstraint("type IN ('shipping', 'billing', 'both')", name="type"),
        # The service also keeps overlapping types (shipping vs both) to one default.
        Index(
            "uq_user_addresses_default_per_type",
            "user_id",
            "type",
            unique=True,
            postgresql_where=text("is_default"),
        ),
    )

    user_id: Mapped[str] = mapped_column(String(36), _user_fk(), index=True)
    type: Mapped[str] = mapped_column(String(16))
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=false())
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    address_line1: Mapped[str] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(16))


class PaymentMethod(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_payment_methods"
    __table_args__ = (
        CheckConstraint("type IN ('credit_card', 'debit_card', 'paypal')", name="type"),
        CheckConstraint("last4 ~ '^[0-9]{4}$'", name="last4"),
        CheckConstraint("expiry_month BETWEEN 1 AND 12", name="expiry_month"),
        Index(
            "uq_user_payment_methods_default",
            "user_id",
            unique=True,
            postgresql_where=text("is_default"),
        ),
    )

    user_id: Mapped[str] = mapped_column(String(36), _user_fk(), index=True)
    type: Mapped[str] = mapped_column(String(16))
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=false())
    card_type: Mapped[str | None] = mapped_column(String(32))
    last4: Mapped[str | None] = mapped_column(String(4))
    expiry_month: Mapped[int | None] = mapped_column(Integer)
    expiry_year: Mapped[int | None] = mapped_column(Integer)
    cardholder_name: Mapped[str | None] = mapped_column(String(200))
    billing_address_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("user_addresses.id", ondelete="SET NULL")
    )
    # The payment provider's token for the stored instrument (never a card number),
    # encrypted: "<key id>:<Fernet token>" (shared.crypto). Encryption is randomised, so
    # the service, not a unique index, keeps one user from saving a token twice.
    provider_token: Mapped[str] = mapped_column(Text)


class Preference(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_preferences"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_user_preferences_user_key"),)

    user_id: Mapped[str] = mapped_column(String(36), _user_fk())
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(Text)


class WishlistItem(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_wishlist_items"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", name="uq_user_wishlist_items_user_product"),
    )

    user_id: Mapped[str] = mapped_column(String(36), _user_fk())
    # Indexed for products' events, which refresh every item of one product.
    product_id: Mapped[str] = mapped_column(String(36), index=True)
    # The product as customers last saw it, kept from products' events for lists that
    # must not call the products service; null until products publishes the product.
    product_name: Mapped[str | None] = mapped_column(String(255))
    product_image_url: Mapped[str | None] = mapped_column(String(2048))
    product_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    product_currency: Mapped[str | None] = mapped_column(String(3))
    # The product's updatedAt the snapshot reflects: an older event never overwrites it.
    product_snapshot_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str | None] = mapped_column(String(500))


outbox_events = outbox_table(Base.metadata)
# The seed's USER_EVENT_LOGS is the users service's inbox.
user_event_logs = inbox_table(Base.metadata, name="user_event_logs")
