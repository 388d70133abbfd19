"""The products database: catalog, category tree, inventory, reviews, and the outbox/inbox.

Columns follow the seed's master ER diagram; inventory rows, reservations, movements,
review votes and bought-together pairs are ours. ``products.search_vector`` is kept up
to date by triggers the migration installs (name A, sku and tags B, description C,
``english`` configuration), so full-text queries must use ``english`` too.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import IdMixin, TimestampMixin, new_metadata, utcnow
from shared.events.inbox import inbox_table
from shared.events.outbox import outbox_table

MONEY = Numeric(12, 2)
MEASURE = Numeric(10, 3)
TEXT_SEARCH_CONFIG = "english"
DEFAULT_LOCATION = "default"
DEFAULT_CURRENCY = "USD"


class Base(DeclarativeBase):
    metadata = new_metadata()


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class StockStatus(StrEnum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"
    BACKORDER = "backorder"


class ReservationStatus(StrEnum):
    RESERVED = "reserved"
    COMMITTED = "committed"
    RELEASED = "released"
    EXPIRED = "expired"


def _product_fk() -> ForeignKey:
    return ForeignKey("products.id", ondelete="CASCADE")


def _created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow)


def _one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


class Product(IdMixin, TimestampMixin, Base):
    __tablename__ = "products"
    __table_args__ = (
        _one_of("status", ProductStatus),
        _one_of("stock_status", StockStatus),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("compare_at_price IS NULL OR compare_at_price >= price", name="compare_at"),
        CheckConstraint("cost_price IS NULL OR cost_price >= 0", name="cost_price"),
        CheckConstraint(
            "coalesce(weight, 0) >= 0 AND coalesce(length, 0) >= 0"
            " AND coalesce(width, 0) >= 0 AND coalesce(height, 0) >= 0",
            name="measures",
        ),
        CheckConstraint("average_rating BETWEEN 0 AND 5", name="average_rating"),
        CheckConstraint("review_count >= 0", name="review_count"),
        Index("ix_products_search_vector", "search_vector", postgresql_using="gin"),
        Index(
            "ix_products_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
        # Attribute filters are containment (`attributes @> '{"colour": "red"}'`).
        Index(
            "ix_products_attributes",
            "attributes",
            postgresql_using="gin",
            postgresql_ops={"attributes": "jsonb_path_ops"},
        ),
        Index("ix_products_price", "price"),
        Index("ix_products_created_at", "created_at"),
        Index("ix_products_status", "status"),
        Index("ix_products_average_rating", "average_rating"),
    )

    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    short_description: Mapped[str | None] = mapped_column(String(500))
    price: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), server_default=DEFAULT_CURRENCY)
    compare_at_price: Mapped[Decimal | None] = mapped_column(MONEY)
    cost_price: Mapped[Decimal | None] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(16), server_default=ProductStatus.DRAFT.value)
    is_visible: Mapped[bool] = mapped_column(Boolean, server_default=true())
    # Summary of the product's inventory rows, kept by the inventory service.
    stock_quantity: Mapped[int] = mapped_column(Integer, server_default="0")
    stock_status: Mapped[str] = mapped_column(
        String(16), server_default=StockStatus.OUT_OF_STOCK.value
    )
    weight: Mapped[Decimal | None] = mapped_column(MEASURE)
    length: Mapped[Decimal | None] = mapped_column(MEASURE)
    width: Mapped[Decimal | None] = mapped_column(MEASURE)
    height: Mapped[Decimal | None] = mapped_column(MEASURE)
    meta_title: Mapped[str | None] = mapped_column(String(255))
    meta_description: Mapped[str | None] = mapped_column(String(500))
    # An object of scalars (string, number, boolean), e.g. {"material": "wool"}.
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # Kept by the reviews service over approved reviews.
    average_rating: Mapped[Decimal] = mapped_column(Numeric(3, 2), server_default="0")
    review_count: Mapped[int] = mapped_column(Integer, server_default="0")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Written by the products_search_vector triggers; never set it from Python.
    # Deferred: rows load without it, and a flush never waits for the trigger's value.
    search_vector: Mapped[str | None] = mapped_column(TSVECTOR, deferred=True)

    def is_public(self) -> bool:
        """Whether customers and anonymous callers may see the product."""
        return self.status == ProductStatus.ACTIVE and self.is_visible


# Search matches SKUs by trigrams on lower(sku) (trigrams ignore case anyway). A trigram
# index on sku itself would also answer `sku = ANY(...)`, and the planner picked it over
# uq_products_sku for the importer's lookups: seconds per batch at 100k products.
Index(
    "ix_products_lower_sku_trgm",
    func.lower(Product.sku).label("lower_sku"),
    postgresql_using="gin",
    postgresql_ops={"lower_sku": "gin_trgm_ops"},
)


class Category(IdMixin, TimestampMixin, Base):
    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint("level >= 0", name="level"),
        Index("ix_categories_parent_id_sort_order", "parent_id", "sort_order"),
        # Descendants are one prefix query: path LIKE '<path>%'.
        Index("ix_categories_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
    )

    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("categories.id", ondelete="RESTRICT")
    )
    # Depth in the tree: roots are 0.
    level: Mapped[int] = mapped_column(Integer, server_default="0")
    sort_order: Mapped[int] = mapped_column(Integer, server_default="0")
    image_url: Mapped[str | None] = mapped_column(String(2048))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    # The ids from the root down to this category, each followed by '/': 'root/child/'.
    path: Mapped[str] = mapped_column(Text)


class ProductCategory(IdMixin, Base):
    __tablename__ = "product_categories"
    __table_args__ = (
        UniqueConstraint("product_id", "category_id", name="uq_product_categories_pair"),
    )

    product_id: Mapped[str] = mapped_column(String(36), _product_fk())
    category_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = _created_at()


class ProductVariant(IdMixin, TimestampMixin, Base):
    __tablename__ = "product_variants"
    __table_args__ = (
        _one_of("stock_status", StockStatus),
        CheckConstraint("price IS NULL OR price > 0", name="price_positive"),
        CheckConstraint(
            "compare_at_price IS NULL OR price IS NULL OR compare_at_price >= price",
            name="compare_at",
        ),
    )

    product_id: Mapped[str] = mapped_column(String(36), _product_fk(), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    # Overrides the product's price when set.
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    compare_at_price: Mapped[Decimal | None] = mapped_column(MONEY)
    stock_quantity: Mapped[int] = mapped_column(Integer, server_default="0")
    stock_status: Mapped[str] = mapped_column(
        String(16), server_default=StockStatus.OUT_OF_STOCK.value
    )
    # Options such as {"size": "M", "colour": "red"}.
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    image_url: Mapped[str | None] = mapped_column(String(2048))


class Sku(Base):
    """Every product's and variant's SKU, once: its primary key keeps SKUs unique across
    both tables, whichever transactions write them. Filled by the ``skus_register``
    triggers on products and product_variants; never written from Python."""

    __tablename__ = "skus"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)


class ProductImage(IdMixin, Base):
    __tablename__ = "product_images"
    __table_args__ = (
        Index("ix_product_images_product_id_sort_order", "product_id", "sort_order"),
        Index(
            "uq_product_images_primary",
            "product_id",
            unique=True,
            postgresql_where=text("is_primary"),
        ),
    )

    product_id: Mapped[str] = mapped_column(String(36), _product_fk())
    url: Mapped[str] = mapped_column(String(2048))
    alt_text: Mapped[str | None] = mapped_column(String(255))
    sort_order: Mapped[int] = mapped_column(Integer, server_default="0")
    is_primary: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = _created_at()


class ProductTag(IdMixin, Base):
    __tablename__ = "product_tags"
    __table_args__ = (UniqueConstraint("product_id", "tag", name="uq_product_tags_product_tag"),)

    product_id: Mapped[str] = mapped_column(String(36), _product_fk())
    # Lower-case, trimmed.
    tag: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = _created_at()


class Inventory(IdMixin, TimestampMixin, Base):
    """Stock of one product (variant_id null) or one variant at one location."""

    __tablename__ = "product_inventory"
    __table_args__ = (
        CheckConstraint("reserved >= 0", name="reserved"),
        CheckConstraint("quantity >= reserved", name="quantity"),
        CheckConstraint("low_stock_threshold >= 0", name="low_stock_threshold"),
        UniqueConstraint(
            "product_id",
            "variant_id",
            "location",
            name="uq_product_inventory_item_location",
            postgresql_nulls_not_distinct=True,
        ),
    )

    product_id: Mapped[str] = mapped_column(String(36), _product_fk())
    variant_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("product_variants.id", ondelete="CASCADE"), index=True
    )
    location: Mapped[str] = mapped_column(String(100), server_default=DEFAULT_LOCATION)
    quantity: Mapped[int] = mapped_column(Integer, server_default="0")
    reserved: Mapped[int] = mapped_column(Integer, server_default="0")
    available: Mapped[int] = mapped_column(Integer, Computed("quantity - reserved", persisted=True))
    low_stock_threshold: Mapped[int] = mapped_column(Integer, server_default="0")
    last_restocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InventoryReservation(IdMixin, TimestampMixin, Base):
    __tablename__ = "inventory_reservations"
    __table_args__ = (
        _one_of("status", ReservationStatus),
        CheckConstraint("quantity > 0", name="quantity"),
        Index("ix_inventory_reservations_status_expires_at", "status", "expires_at"),
        # One row per inventory row a reservation holds stock of; all share its key.
        UniqueConstraint(
            "reservation_key", "inventory_id", name="uq_inventory_reservations_key_inventory"
        ),
    )

    # The caller's idempotency key of the whole reservation, e.g. a checkout id.
    reservation_key: Mapped[str] = mapped_column(String(255))
    inventory_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("product_inventory.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), server_default=ReservationStatus.RESERVED.value)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    order_id: Mapped[str | None] = mapped_column(String(36), index=True)


class InventoryMovement(IdMixin, Base):
    """One change of an inventory row's quantity (restock, adjustment), for the audit."""

    __tablename__ = "inventory_movements"
    __table_args__ = (
        Index("ix_inventory_movements_inventory_id_created_at", "inventory_id", "created_at"),
    )

    inventory_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("product_inventory.id", ondelete="CASCADE")
    )
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(255))
    # Who made the change: a user id, or 'system'.
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class Review(IdMixin, TimestampMixin, Base):
    __tablename__ = "product_reviews"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint("helpful_count >= 0", name="helpful_count"),
        UniqueConstraint("product_id", "user_id", name="uq_product_reviews_product_user"),
        Index("ix_product_reviews_product_id_created_at", "product_id", "created_at"),
    )

    product_id: Mapped[str] = mapped_column(String(36), _product_fk())
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(255))
    comment: Mapped[str | None] = mapped_column(Text)
    is_verified_purchase: Mapped[bool] = mapped_column(Boolean, server_default=false())
    is_approved: Mapped[bool] = mapped_column(Boolean, server_default=false())
    helpful_count: Mapped[int] = mapped_column(Integer, server_default="0")


class ReviewVote(IdMixin, Base):
    __tablename__ = "review_votes"
    __table_args__ = (UniqueConstraint("review_id", "user_id", name="uq_review_votes_review_user"),)

    review_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("product_reviews.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = _created_at()


class VerifiedPurchase(Base):
    """A user received the product (order.delivered): their review of it is verified."""

    __tablename__ = "verified_purchases"

    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36), _product_fk(), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = _created_at()


class ProductPair(Base):
    """How often two products were bought together; stored once per direction."""

    __tablename__ = "product_pairs"
    __table_args__ = (
        CheckConstraint("product_id <> other_product_id", name="distinct_products"),
        CheckConstraint("times_bought_together > 0", name="times_bought_together"),
        Index(
            "ix_product_pairs_product_id_times",
            "product_id",
            text("times_bought_together DESC"),
        ),
    )

    product_id: Mapped[str] = mapped_column(String(36), _product_fk(), primary_key=True)
    other_product_id: Mapped[str] = mapped_column(String(36), _product_fk(), primary_key=True)
    times_bought_together: Mapped[int] = mapped_column(Integer, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


outbox_events = outbox_table(Base.metadata)
inbox_events = inbox_table(Base.metadata)
