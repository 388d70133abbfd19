"""The users subgraph's mutations: each acts on the caller's own data.

Update inputs distinguish an omitted field (left as it is) from null (cleared).
"""

from __future__ import annotations

from datetime import date

import strawberry

from shared.graphql import given_fields
from subgraphs.users import models, service
from subgraphs.users.types import (
    Info,
    SavedPaymentMethod,
    UserAddress,
    UserPreference,
    UserProfile,
    WishlistItem,
    from_row,
)

UNSET = strawberry.UNSET
ID_ONLY = frozenset({"id"})
IS_DEFAULT = frozenset({"is_default"})


async def _viewer_id(info: Info) -> str:
    return (await info.context.require_viewer()).user_id


@strawberry.input
class ProfileUpdateInput:
    first_name: str | None = UNSET
    last_name: str | None = UNSET
    phone: str | None = strawberry.field(
        default=UNSET, description="International format; separators are dropped."
    )
    avatar_url: str | None = UNSET
    date_of_birth: date | None = UNSET
    gender: models.Gender | None = UNSET
    preferred_currency: str | None = strawberry.field(default=UNSET, description="ISO 4217.")
    preferred_language: str | None = strawberry.field(default=UNSET, description="BCP 47.")
    newsletter_subscribed: bool | None = UNSET
    marketing_opt_in: bool | None = UNSET


@strawberry.type
class ProfileUpdatePayload:
    profile: UserProfile


@strawberry.input
class AddressCreateInput:
    type: models.AddressType
    address_line1: str
    city: str
    postal_code: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address_line2: str | None = None
    state: str | None = None
    phone: str | None = None
    is_default: bool = False


@strawberry.input
class AddressUpdateInput:
    id: strawberry.ID
    type: models.AddressType | None = UNSET
    address_line1: str | None = UNSET
    city: str | None = UNSET
    postal_code: str | None = UNSET
    country: str | None = UNSET
    first_name: str | None = UNSET
    last_name: str | None = UNSET
    company: str | None = UNSET
    address_line2: str | None = UNSET
    state: str | None = UNSET
    phone: str | None = UNSET


@strawberry.input
class AddressDeleteInput:
    id: strawberry.ID


@strawberry.input
class AddressSetDefaultInput:
    id: strawberry.ID


@strawberry.type
class AddressCreatePayload:
    address: UserAddress


@strawberry.type
class AddressUpdatePayload:
    address: UserAddress


@strawberry.type
class AddressDeletePayload:
    deleted_id: strawberry.ID


@strawberry.type
class AddressSetDefaultPayload:
    address: UserAddress


@strawberry.input(description="A provider-tokenised method; card numbers are rejected.")
class PaymentMethodAddInput:
    type: models.PaymentMethodType
    provider_token: str
    card_type: str | None = None
    last4: str | None = None
    expiry_month: int | None = None
    expiry_year: int | None = None
    cardholder_name: str | None = None
    billing_address_id: strawberry.ID | None = None
    is_default: bool = False


@strawberry.input
class PaymentMethodDeleteInput:
    id: strawberry.ID


@strawberry.input
class PaymentMethodSetDefaultInput:
    id: strawberry.ID


@strawberry.type
class PaymentMethodAddPayload:
    payment_method: SavedPaymentMethod


@strawberry.type
class PaymentMethodDeletePayload:
    deleted_id: strawberry.ID


@strawberry.type
class PaymentMethodSetDefaultPayload:
    payment_method: SavedPaymentMethod


@strawberry.input
class PreferenceSetInput:
    key: str
    value: str


@strawberry.input
class PreferenceDeleteInput:
    key: str


@strawberry.type
class PreferenceSetPayload:
    preference: UserPreference


@strawberry.type
class PreferenceDeletePayload:
    deleted_key: str


@strawberry.input
class WishlistItemAddInput:
    product_id: strawberry.ID
    notes: str | None = None


@strawberry.input
class WishlistItemRemoveInput:
    product_id: strawberry.ID


@strawberry.type
class WishlistItemAddPayload:
    item: WishlistItem


@strawberry.type
class WishlistItemRemovePayload:
    removed_product_id: strawberry.ID


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def profile_update(self, info: Info, input: ProfileUpdateInput) -> ProfileUpdatePayload:
        user_id = await _viewer_id(info)
        row = await service.update_profile(info.context.db, user_id, given_fields(input))
        return ProfileUpdatePayload(profile=from_row(UserProfile, row))

    @strawberry.mutation
    async def address_create(self, info: Info, input: AddressCreateInput) -> AddressCreatePayload:
        user_id = await _viewer_id(info)
        fields = given_fields(input, exclude=IS_DEFAULT)
        row = await service.create_address(
            info.context.db, user_id, fields, is_default=input.is_default
        )
        return AddressCreatePayload(address=from_row(UserAddress, row))

    @strawberry.mutation
    async def address_update(self, info: Info, input: AddressUpdateInput) -> AddressUpdatePayload:
        user_id = await _viewer_id(info)
        changes = given_fields(input, exclude=ID_ONLY)
        row = await service.update_address(info.context.db, user_id, input.id, changes)
        return AddressUpdatePayload(address=from_row(UserAddress, row))

    @strawberry.mutation
    async def address_delete(self, info: Info, input: AddressDeleteInput) -> AddressDeletePayload:
        user_id = await _viewer_id(info)
        await service.delete_address(info.context.db, user_id, input.id)
        return AddressDeletePayload(deleted_id=input.id)

    @strawberry.mutation(description="The new default replaces any default it overlaps.")
    async def address_set_default(
        self, info: Info, input: AddressSetDefaultInput
    ) -> AddressSetDefaultPayload:
        user_id = await _viewer_id(info)
        row = await service.set_default_address(info.context.db, user_id, input.id)
        return AddressSetDefaultPayload(address=from_row(UserAddress, row))

    @strawberry.mutation
    async def payment_method_add(
        self, info: Info, input: PaymentMethodAddInput
    ) -> PaymentMethodAddPayload:
        user_id = await _viewer_id(info)
        fields = given_fields(input, exclude=IS_DEFAULT)
        row = await service.add_payment_method(
            info.context.db,
            user_id,
            fields,
            keyring=info.context.extras["payment_tokens"],
            is_default=input.is_default,
        )
        return PaymentMethodAddPayload(payment_method=from_row(SavedPaymentMethod, row))

    @strawberry.mutation
    async def payment_method_delete(
        self, info: Info, input: PaymentMethodDeleteInput
    ) -> PaymentMethodDeletePayload:
        user_id = await _viewer_id(info)
        await service.delete_payment_method(info.context.db, user_id, input.id)
        return PaymentMethodDeletePayload(deleted_id=input.id)

    @strawberry.mutation
    async def payment_method_set_default(
        self, info: Info, input: PaymentMethodSetDefaultInput
    ) -> PaymentMethodSetDefaultPayload:
        user_id = await _viewer_id(info)
        row = await service.set_default_payment_method(info.context.db, user_id, input.id)
        return PaymentMethodSetDefaultPayload(payment_method=from_row(SavedPaymentMethod, row))

    @strawberry.mutation(description="Creates the preference or replaces its value.")
    async def preference_set(self, info: Info, input: PreferenceSetInput) -> PreferenceSetPayload:
        user_id = await _viewer_id(info)
        row = await service.set_preference(info.context.db, user_id, input.key, input.value)
        return PreferenceSetPayload(preference=from_row(UserPreference, row))

    @strawberry.mutation
    async def preference_delete(
        self, info: Info, input: PreferenceDeleteInput
    ) -> PreferenceDeletePayload:
        user_id = await _viewer_id(info)
        await service.delete_preference(info.context.db, user_id, input.key)
        return PreferenceDeletePayload(deleted_key=input.key)

    @strawberry.mutation(description="Adding a product already in the wishlist changes nothing.")
    async def wishlist_item_add(
        self, info: Info, input: WishlistItemAddInput
    ) -> WishlistItemAddPayload:
        user_id = await _viewer_id(info)
        row = await service.add_wishlist_item(
            info.context.db, user_id, input.product_id, input.notes
        )
        return WishlistItemAddPayload(item=WishlistItem.from_model(row))

    @strawberry.mutation
    async def wishlist_item_remove(
        self, info: Info, input: WishlistItemRemoveInput
    ) -> WishlistItemRemovePayload:
        user_id = await _viewer_id(info)
        await service.remove_wishlist_item(info.context.db, user_id, input.product_id)
        return WishlistItemRemovePayload(removed_product_id=input.product_id)
