"""The users subgraph's GraphQL object types and the fields it adds to ``User``.

A customer reads their own data, staff (admin, support) read anyone's.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from shared.graphql import BatchLoad, Context, Money
from subgraphs.users import models, queries

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Info = strawberry.Info[Context, None]
T = TypeVar("T", bound="DataclassInstance")
V = TypeVar("V")

# The models' enums, as GraphQL enums of these names (strawberry.enum marks the classes).
strawberry.enum(models.Gender, name="Gender")
strawberry.enum(models.AddressType, name="UserAddressType")
strawberry.enum(models.PaymentMethodType, name="SavedPaymentMethodType")


def from_row(cls: type[T], row: object) -> T:
    """Build a plain GraphQL object type from the row attributes of the same names."""
    return cls(**{field.name: getattr(row, field.name) for field in dataclasses.fields(cls)})


@strawberry.type
class UserProfile:
    id: strawberry.ID
    user_id: strawberry.ID
    email: str
    first_name: str | None
    last_name: str | None
    phone: str | None
    avatar_url: str | None
    date_of_birth: date | None
    gender: models.Gender | None
    preferred_currency: str | None
    preferred_language: str | None
    newsletter_subscribed: bool
    marketing_opt_in: bool
    is_active: bool
    email_verified: bool
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None


@strawberry.type
class UserAddress:
    id: strawberry.ID
    type: models.AddressType
    is_default: bool
    first_name: str | None
    last_name: str | None
    company: str | None
    address_line1: str
    address_line2: str | None
    city: str
    state: str | None
    postal_code: str
    country: str
    phone: str | None
    created_at: datetime
    updated_at: datetime


@strawberry.type(description="A saved payment method; its provider token is never returned.")
class SavedPaymentMethod:
    id: strawberry.ID
    type: models.PaymentMethodType
    is_default: bool
    card_type: str | None
    last4: str | None
    expiry_month: int | None
    expiry_year: int | None
    cardholder_name: str | None
    billing_address_id: strawberry.ID | None
    created_at: datetime
    updated_at: datetime


@strawberry.type
class UserPreference:
    key: str
    value: str
    updated_at: datetime


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Product:
    id: strawberry.ID


@strawberry.type(
    description=(
        "A product on a wishlist. Its product* fields are the product's last known values "
        "as customers saw them, kept from products' events: readable while products is "
        "down or after the product is withdrawn (then `product` is null). They are null "
        "until products publishes the product while it is on some wishlist."
    )
)
class WishlistItem:
    id: strawberry.ID
    # Nullable: the products subgraph answers null for a product the caller may no longer
    # see (archived, hidden, unknown), and one such item must not blank the whole list.
    product: Product | None
    product_name: str | None
    product_image_url: str | None
    product_price: Money | None
    product_currency: str | None
    product_snapshot_at: datetime | None = strawberry.field(
        description="The product's updatedAt the product* values are from."
    )
    notes: str | None
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.WishlistItem) -> WishlistItem:
        return cls(
            id=strawberry.ID(row.id),
            product=Product(id=strawberry.ID(row.product_id)),
            product_name=row.product_name,
            product_image_url=row.product_image_url,
            product_price=Money(row.product_price) if row.product_price is not None else None,
            product_currency=row.product_currency,
            product_snapshot_at=row.product_snapshot_at,
            notes=row.notes,
            created_at=row.created_at,
        )


async def _load_readable(info: Info, user_id: str, load: BatchLoad[str, V]) -> V:
    viewer = await info.context.require_viewer()
    queries.ensure_can_read(viewer, user_id)
    return await info.context.loader(load).load(user_id)


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return cls(id=id)

    @strawberry.field
    async def profile(self, info: Info) -> UserProfile | None:
        row = await _load_readable(info, self.id, queries.profiles_by_user_ids)
        return from_row(UserProfile, row) if row is not None else None

    @strawberry.field
    async def addresses(self, info: Info) -> list[UserAddress]:
        rows = await _load_readable(info, self.id, queries.addresses_by_user_ids)
        return [from_row(UserAddress, row) for row in rows]

    @strawberry.field
    async def payment_methods(self, info: Info) -> list[SavedPaymentMethod]:
        rows = await _load_readable(info, self.id, queries.payment_methods_by_user_ids)
        return [from_row(SavedPaymentMethod, row) for row in rows]

    @strawberry.field
    async def preferences(self, info: Info) -> list[UserPreference]:
        rows = await _load_readable(info, self.id, queries.preferences_by_user_ids)
        return [from_row(UserPreference, row) for row in rows]

    @strawberry.field
    async def wishlist(self, info: Info) -> list[WishlistItem]:
        rows = await _load_readable(info, self.id, queries.wishlists_by_user_ids)
        return [WishlistItem.from_model(row) for row in rows]


def users_of(info: Info, profiles: list[models.Profile]) -> list[User]:
    """``User`` entities for loaded profiles, whose ``profile`` field then costs no query."""
    loader = info.context.loader(queries.profiles_by_user_ids)
    loader.prime_many({profile.user_id: profile for profile in profiles})
    return [User(id=strawberry.ID(profile.user_id)) for profile in profiles]


def user_of(info: Info, profile: models.Profile | None) -> User | None:
    return users_of(info, [profile])[0] if profile is not None else None
