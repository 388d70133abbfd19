"""Saved payment methods' provider tokens encrypted at rest (``shared.crypto``).

The keys are the users service's: COMMERCE_PAYMENT_TOKEN_KEYS, else the key file under
COMMERCE_DATA_DIR, read from the environment as every ``commerce`` command reads it.
The unique (user_id, provider_token) constraint goes: encryption is randomised, so the
service checks for a saved token itself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from shared.crypto import Keyring
from shared.settings import Settings
from subgraphs.users.keys import payment_token_keyring

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "user_payment_methods"
UNIQUE_TOKEN = "uq_user_payment_methods_token"

methods = sa.table(TABLE, sa.column("id", sa.String), sa.column("provider_token", sa.Text))


def upgrade() -> None:
    op.drop_constraint(UNIQUE_TOKEN, TABLE, type_="unique")
    op.alter_column(
        TABLE, "provider_token", type_=sa.Text(), existing_type=sa.String(255), nullable=False
    )
    _rewrite_tokens(lambda keyring: keyring.encrypt)


def downgrade() -> None:
    _rewrite_tokens(lambda keyring: keyring.decrypt)
    op.alter_column(
        TABLE, "provider_token", type_=sa.String(255), existing_type=sa.Text(), nullable=False
    )
    op.create_unique_constraint(UNIQUE_TOKEN, TABLE, ["user_id", "provider_token"])


def _rewrite_tokens(conversion: Callable[[Keyring], Callable[[str], str]]) -> None:
    """Replace each stored token with its conversion; the keys are loaded (a key file
    made) only when there is a token to convert."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(methods.c.id, methods.c.provider_token)).all()
    if not rows:
        return
    convert = conversion(payment_token_keyring(Settings.from_env()))
    stmt = (
        methods.update()
        .where(methods.c.id == sa.bindparam("row_id"))
        .values(provider_token=sa.bindparam("token"))
    )
    converted = [{"row_id": row_id, "token": convert(token)} for row_id, token in rows]
    connection.execute(stmt, converted)
