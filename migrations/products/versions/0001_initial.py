"""The products database: catalog, category tree, inventory with reservations and
movements, reviews with votes, bought-together pairs, the outbox and the inbox.

``products.search_vector`` is maintained by triggers: one on products (name A, sku B,
description C) and, per statement, on product_tags (tags B), both through
``product_search_document``. The ``skus`` registry holds every product's and variant's
SKU once, written by the ``skus_register`` triggers, so the database keeps SKUs unique
across both tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
MONEY = sa.Numeric(12, 2)
MEASURE = sa.Numeric(10, 3)
STOCK_STATUSES = "stock_status IN ('in_stock', 'out_of_stock', 'backorder')"

SEARCH_FUNCTIONS = (
    """
CREATE FUNCTION product_search_document(
    product_id varchar, name varchar, sku varchar, description text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(name, '')), 'A')
        || setweight(to_tsvector('english', coalesce(sku, '')), 'B')
        || setweight(to_tsvector('english', coalesce(
            (SELECT string_agg(tag, ' ') FROM product_tags t WHERE t.product_id = $1), ''
        )), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
$$""",
    """
CREATE FUNCTION products_search_vector_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := product_search_document(NEW.id, NEW.name, NEW.sku, NEW.description);
    RETURN NEW;
END
$$""",
    # Once per statement, each product once: row by row, a product with three new tags
    # would be rewritten three times (and every index entry of it with it). Planned for
    # each statement: a plan cached while products was small scans it whole ever after.
    """
CREATE FUNCTION product_tags_search_vector_refresh() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    changed varchar[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT product_id) INTO changed FROM new_tags;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT product_id) INTO changed FROM old_tags;
    ELSE
        SELECT array_agg(DISTINCT product_id) INTO changed
        FROM (SELECT product_id FROM old_tags UNION SELECT product_id FROM new_tags) moved;
    END IF;
    UPDATE products p
    SET search_vector = product_search_document(p.id, p.name, p.sku, p.description)
    WHERE p.id = ANY(changed);
    RETURN NULL;
END
$$""",
)

SEARCH_TRIGGERS = (
    """
CREATE TRIGGER products_search_vector
    BEFORE INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION products_search_vector_refresh()""",
    # An upsert sets every column: only a change of the words is worth a new vector.
    """
CREATE TRIGGER products_search_vector_update
    BEFORE UPDATE OF name, sku, description ON products
    FOR EACH ROW
    WHEN ((OLD.name, OLD.sku, OLD.description)
        IS DISTINCT FROM (NEW.name, NEW.sku, NEW.description))
    EXECUTE FUNCTION products_search_vector_refresh()""",
)
# A trigger with transition tables fires on one kind of statement only.
TAG_TRIGGERS = {
    "insert": "NEW TABLE AS new_tags",
    "update": "OLD TABLE AS old_tags NEW TABLE AS new_tags",
    "delete": "OLD TABLE AS old_tags",
}


def _tag_trigger(operation: str) -> str:
    return (
        f"CREATE TRIGGER product_tags_{operation}_search_vector AFTER {operation.upper()}"
        f" ON product_tags REFERENCING {TAG_TRIGGERS[operation]} FOR EACH STATEMENT"
        " EXECUTE FUNCTION product_tags_search_vector_refresh()"
    )


# A row's SKU enters the registry when the row is written and leaves with it; the
# registry's primary key refuses a SKU that a product or variant already has, even one a
# concurrent transaction has not committed yet (the second writer waits, then fails).
SKU_FUNCTION = """
CREATE FUNCTION skus_register() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.sku = OLD.sku THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM skus WHERE sku = OLD.sku;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO skus (sku) VALUES (NEW.sku);
    END IF;
    RETURN NULL;
END
$$"""
SKU_TABLES = ("products", "product_variants")


def _sku_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_skus AFTER INSERT OR UPDATE OF sku OR DELETE ON {table}"
        " FOR EACH ROW EXECUTE FUNCTION skus_register()"
    )


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(36), nullable=False)


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", TIMESTAMP, nullable=False)


def _timestamps() -> list[sa.Column[object]]:
    return [_created_at(), sa.Column("updated_at", TIMESTAMP, nullable=False)]


def _flag(name: str, default: bool) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False, server_default=sa.text(str(default).lower()))


def _count(name: str, default: str = "0") -> sa.Column[int]:
    return sa.Column(name, sa.Integer, nullable=False, server_default=default)


def _jsonb(name: str) -> sa.Column[object]:
    return sa.Column(name, postgresql.JSONB, nullable=False, server_default=sa.text("'{}'::jsonb"))


def _references(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=f"fk_{table}_{column}_{target}",
        ondelete=ondelete,
    )


def _stock(table: str) -> list[sa.SchemaItem]:
    return [
        _count("stock_quantity"),
        sa.Column("stock_status", sa.String(16), nullable=False, server_default="out_of_stock"),
        sa.CheckConstraint(STOCK_STATUSES, name=f"ck_{table}_stock_status"),
    ]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    _create_catalog()
    _create_inventory()
    _create_reviews()
    _create_events()
    for statement in (*SEARCH_FUNCTIONS, *SEARCH_TRIGGERS, SKU_FUNCTION):
        op.execute(statement)
    for operation in TAG_TRIGGERS:
        op.execute(_tag_trigger(operation))
    for table in SKU_TABLES:
        op.execute(_sku_trigger(table))


def _create_catalog() -> None:
    op.create_table(
        "skus",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("sku", name="pk_skus"),
    )
    op.create_table(
        "products",
        _id(),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("slug", sa.String(255), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("short_description", sa.String(500)),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False, server_default="USD"),
        sa.Column("compare_at_price", MONEY),
        sa.Column("cost_price", MONEY),
        sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
        _flag("is_visible", True),
        *_stock("products"),
        sa.Column("weight", MEASURE),
        sa.Column("length", MEASURE),
        sa.Column("width", MEASURE),
        sa.Column("height", MEASURE),
        sa.Column("meta_title", sa.String(255)),
        sa.Column("meta_description", sa.String(500)),
        _jsonb("attributes"),
        sa.Column("average_rating", sa.Numeric(3, 2), nullable=False, server_default="0"),
        _count("review_count"),
        sa.Column("published_at", TIMESTAMP),
        sa.Column("search_vector", postgresql.TSVECTOR),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.UniqueConstraint("sku", name="uq_products_sku"),
        sa.UniqueConstraint("slug", name="uq_products_slug"),
        sa.CheckConstraint("status IN ('draft', 'active', 'archived')", name="ck_products_status"),
        sa.CheckConstraint("price > 0", name="ck_products_price_positive"),
        sa.CheckConstraint(
            "compare_at_price IS NULL OR compare_at_price >= price", name="ck_products_compare_at"
        ),
        sa.CheckConstraint("cost_price IS NULL OR cost_price >= 0", name="ck_products_cost_price"),
        sa.CheckConstraint(
            "coalesce(weight, 0) >= 0 AND coalesce(length, 0) >= 0"
            " AND coalesce(width, 0) >= 0 AND coalesce(height, 0) >= 0",
            name="ck_products_measures",
        ),
        sa.CheckConstraint("average_rating BETWEEN 0 AND 5", name="ck_products_average_rating"),
        sa.CheckConstraint("review_count >= 0", name="ck_products_review_count"),
    )
    op.create_index(
        "ix_products_search_vector", "products", ["search_vector"], postgresql_using="gin"
    )
    op.create_index(
        "ix_products_name_trgm",
        "products",
        ["name"],
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    # Not on sku itself: such an index also answers `sku = ANY(...)`, in place of
    # uq_products_sku and much slower (see the model).
    op.execute(
        "CREATE INDEX ix_products_lower_sku_trgm ON products USING gin (lower(sku) gin_trgm_ops)"
    )
    op.create_index(
        "ix_products_attributes",
        "products",
        ["attributes"],
        postgresql_using="gin",
        postgresql_ops={"attributes": "jsonb_path_ops"},
    )
    for column in ("price", "created_at", "status", "average_rating"):
        op.create_index(f"ix_products_{column}", "products", [column])

    op.create_table(
        "categories",
        _id(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("slug", sa.String(255), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("parent_id", sa.String(36)),
        _count("level"),
        _count("sort_order"),
        sa.Column("image_url", sa.String(2048)),
        _flag("is_active", True),
        sa.Column("path", sa.Text, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_categories"),
        sa.UniqueConstraint("slug", name="uq_categories_slug"),
        _references("categories", "parent_id", "categories", "RESTRICT"),
        sa.CheckConstraint("level >= 0", name="ck_categories_level"),
    )
    op.create_index("ix_categories_parent_id_sort_order", "categories", ["parent_id", "sort_order"])
    op.create_index(
        "ix_categories_path", "categories", ["path"], postgresql_ops={"path": "text_pattern_ops"}
    )

    op.create_table(
        "product_categories",
        _id(),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("category_id", sa.String(36), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_product_categories"),
        _references("product_categories", "product_id", "products", "CASCADE"),
        _references("product_categories", "category_id", "categories", "RESTRICT"),
        sa.UniqueConstraint("product_id", "category_id", name="uq_product_categories_pair"),
    )
    op.create_index("ix_product_categories_category_id", "product_categories", ["category_id"])

    op.create_table(
        "product_variants",
        _id(),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("price", MONEY),
        sa.Column("compare_at_price", MONEY),
        *_stock("product_variants"),
        _jsonb("attributes"),
        sa.Column("image_url", sa.String(2048)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_product_variants"),
        _references("product_variants", "product_id", "products", "CASCADE"),
        sa.UniqueConstraint("sku", name="uq_product_variants_sku"),
        sa.CheckConstraint("price IS NULL OR price > 0", name="ck_product_variants_price_positive"),
        sa.CheckConstraint(
            "compare_at_price IS NULL OR price IS NULL OR compare_at_price >= price",
            name="ck_product_variants_compare_at",
        ),
    )
    op.create_index("ix_product_variants_product_id", "product_variants", ["product_id"])

    op.create_table(
        "product_images",
        _id(),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("alt_text", sa.String(255)),
        _count("sort_order"),
        _flag("is_primary", False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_product_images"),
        _references("product_images", "product_id", "products", "CASCADE"),
    )
    op.create_index(
        "ix_product_images_product_id_sort_order", "product_images", ["product_id", "sort_order"]
    )
    op.create_index(
        "uq_product_images_primary",
        "product_images",
        ["product_id"],
        unique=True,
        postgresql_where=sa.text("is_primary"),
    )

    op.create_table(
        "product_tags",
        _id(),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_product_tags"),
        _references("product_tags", "product_id", "products", "CASCADE"),
        sa.UniqueConstraint("product_id", "tag", name="uq_product_tags_product_tag"),
    )
    op.create_index("ix_product_tags_tag", "product_tags", ["tag"])

    op.create_table(
        "product_pairs",
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("other_product_id", sa.String(36), nullable=False),
        _count("times_bought_together", "1"),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("product_id", "other_product_id", name="pk_product_pairs"),
        _references("product_pairs", "product_id", "products", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["other_product_id"],
            ["products.id"],
            name="fk_product_pairs_other_product_id_products",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "product_id <> other_product_id", name="ck_product_pairs_distinct_products"
        ),
        sa.CheckConstraint(
            "times_bought_together > 0", name="ck_product_pairs_times_bought_together"
        ),
    )
    op.create_index(
        "ix_product_pairs_product_id_times",
        "product_pairs",
        ["product_id", sa.literal_column("times_bought_together DESC")],
    )


def _create_inventory() -> None:
    op.create_table(
        "product_inventory",
        _id(),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("variant_id", sa.String(36)),
        sa.Column("location", sa.String(100), nullable=False, server_default="default"),
        _count("quantity"),
        _count("reserved"),
        sa.Column(
            "available",
            sa.Integer,
            sa.Computed("quantity - reserved", persisted=True),
            nullable=False,
        ),
        _count("low_stock_threshold"),
        sa.Column("last_restocked_at", TIMESTAMP),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_product_inventory"),
        _references("product_inventory", "product_id", "products", "CASCADE"),
        _references("product_inventory", "variant_id", "product_variants", "CASCADE"),
        sa.UniqueConstraint(
            "product_id",
            "variant_id",
            "location",
            name="uq_product_inventory_item_location",
            postgresql_nulls_not_distinct=True,
        ),
        sa.CheckConstraint("reserved >= 0", name="ck_product_inventory_reserved"),
        sa.CheckConstraint("quantity >= reserved", name="ck_product_inventory_quantity"),
        sa.CheckConstraint(
            "low_stock_threshold >= 0", name="ck_product_inventory_low_stock_threshold"
        ),
    )
    op.create_index("ix_product_inventory_variant_id", "product_inventory", ["variant_id"])

    op.create_table(
        "inventory_reservations",
        _id(),
        sa.Column("reservation_key", sa.String(255), nullable=False),
        sa.Column("inventory_id", sa.String(36), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="reserved"),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("order_id", sa.String(36)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_inventory_reservations"),
        sa.UniqueConstraint(
            "reservation_key", "inventory_id", name="uq_inventory_reservations_key_inventory"
        ),
        _references("inventory_reservations", "inventory_id", "product_inventory", "CASCADE"),
        sa.CheckConstraint(
            "status IN ('reserved', 'committed', 'released', 'expired')",
            name="ck_inventory_reservations_status",
        ),
        sa.CheckConstraint("quantity > 0", name="ck_inventory_reservations_quantity"),
    )
    for columns in (["inventory_id"], ["order_id"], ["status", "expires_at"]):
        op.create_index(
            f"ix_inventory_reservations_{'_'.join(columns)}", "inventory_reservations", columns
        )

    op.create_table(
        "inventory_movements",
        _id(),
        sa.Column("inventory_id", sa.String(36), nullable=False),
        sa.Column("delta", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(255), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_inventory_movements"),
        _references("inventory_movements", "inventory_id", "product_inventory", "CASCADE"),
    )
    op.create_index(
        "ix_inventory_movements_inventory_id_created_at",
        "inventory_movements",
        ["inventory_id", "created_at"],
    )


def _create_reviews() -> None:
    op.create_table(
        "product_reviews",
        _id(),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("title", sa.String(255)),
        sa.Column("comment", sa.Text),
        _flag("is_verified_purchase", False),
        _flag("is_approved", False),
        _count("helpful_count"),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_product_reviews"),
        _references("product_reviews", "product_id", "products", "CASCADE"),
        sa.UniqueConstraint("product_id", "user_id", name="uq_product_reviews_product_user"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_product_reviews_rating"),
        sa.CheckConstraint("helpful_count >= 0", name="ck_product_reviews_helpful_count"),
    )
    op.create_index(
        "ix_product_reviews_product_id_created_at",
        "product_reviews",
        ["product_id", "created_at"],
    )
    op.create_index("ix_product_reviews_user_id", "product_reviews", ["user_id"])

    op.create_table(
        "verified_purchases",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("user_id", "product_id", name="pk_verified_purchases"),
        _references("verified_purchases", "product_id", "products", "CASCADE"),
    )

    op.create_table(
        "review_votes",
        _id(),
        sa.Column("review_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_review_votes"),
        _references("review_votes", "review_id", "product_reviews", "CASCADE"),
        sa.UniqueConstraint("review_id", "user_id", name="uq_review_votes_review_user"),
    )


def _create_events() -> None:
    op.create_table(
        "inbox_events",
        _id(),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(255), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        _flag("processed", False),
        sa.Column("processed_at", TIMESTAMP),
        sa.Column("error", sa.Text),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_events"),
        sa.UniqueConstraint("event_id", name="uq_inbox_events_event_id"),
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
        _count("attempts"),
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
    for table in SKU_TABLES:
        op.execute(f"DROP TRIGGER {table}_skus ON {table}")
    for operation in TAG_TRIGGERS:
        op.execute(f"DROP TRIGGER product_tags_{operation}_search_vector ON product_tags")
    op.execute("DROP TRIGGER products_search_vector_update ON products")
    op.execute("DROP TRIGGER products_search_vector ON products")
    for table in (
        "outbox_events",
        "inbox_events",
        "review_votes",
        "verified_purchases",
        "product_reviews",
        "inventory_movements",
        "inventory_reservations",
        "product_inventory",
        "product_pairs",
        "product_tags",
        "product_images",
        "product_variants",
        "product_categories",
        "categories",
        "products",
        "skus",
    ):
        op.drop_table(table)
    op.execute("DROP FUNCTION skus_register()")
    op.execute("DROP FUNCTION product_tags_search_vector_refresh()")
    op.execute("DROP FUNCTION products_search_vector_refresh()")
    op.execute("DROP FUNCTION product_search_document(varchar, varchar, varchar, text)")
