"""Wishlist items record which product version their snapshot is from, and are found by
product: products' events refresh every item of one product.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "user_wishlist_items"
PRODUCT_INDEX = "ix_user_wishlist_items_product_id"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("product_snapshot_at", sa.DateTime(timezone=True)))
    op.create_index(PRODUCT_INDEX, TABLE, ["product_id"])


def downgrade() -> None:
    op.drop_index(PRODUCT_INDEX, table_name=TABLE)
    op.drop_column(TABLE, "product_snapshot_at")
