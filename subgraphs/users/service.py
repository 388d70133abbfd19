"""The users domain's writes: profiles (created from auth's events), addresses, saved
payment methods, preferences and wishlists. Reads are in ``queries.py``.

Every write acts on behalf of ``user_id``, the caller's own id: a row of another user
is FORBIDDEN. Writes commit; an event handler calling them commits its inbox row too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import ColumnElement, DateTime, Delete, delete, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation as v
from shared.crypto import Keyring
from shared.database import utcnow
from shared.errors import DomainError, ErrorCode, bad_input, forbidden, not_found
from subgraphs.users import validation as uv
from subgraphs.users.models import (
    Address,
    AddressType,
    Gender,
    PaymentMethod,
    PaymentMethodType,
    Preference,
    Profile,
    WishlistItem,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult


class UsersErrorCode(StrEnum):
    RAW_CARD_NUMBER_REJECTED = "RAW_CARD_NUMBER_REJECTED"
    CARD_EXPIRED = "CARD_EXPIRED"


PROFILE_FIELDS: dict[str, v.Validator] = {
    "first_name": v.text(100),
    "last_name": v.text(100),
    "phone": uv.phone_number,
    "avatar_url": v.web_url,
    "date_of_birth": v.past_date,
    "gender": v.choice(Gender),
    "preferred_currency": v.currency_code,
    "preferred_language": v.language_tag,
    "newsletter_subscribed": v.flag,
    "marketing_opt_in": v.flag,
}

ADDRESS_FIELDS: dict[str, v.Validator] = {
    "type": v.required(v.choice(AddressType)),
    "first_name": v.text(100),
    "last_name": v.text(100),
    "company": v.text(200),
    "address_line1": v.required(v.text(200)),
    "address_line2": v.text(200),
    "city": v.required(v.text(100)),
    "state": v.text(100),
    "postal_code": v.required(v.text(20)),
    "country": v.required(v.country_code),
    "phone": uv.phone_number,
}
ADDRESS_REQUIRED = ("type", "address_line1", "city", "postal_code", "country")


def _last4(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    digits = value.strip()
    if len(digits) > 4 and digits.isdigit():
        raise _raw_card_number(field)
    if len(digits) != 4 or not digits.isdigit():
        raise bad_input(f"{field} must be the last four digits of the card.", field=field)
    return digits


PAYMENT_METHOD_FIELDS: dict[str, v.Validator] = {
    "type": v.required(v.choice(PaymentMethodType)),
    "provider_token": v.required(v.text(255)),
    "card_type": v.text(32),
    "last4": _last4,
    "expiry_month": v.int_between(1, 12),
    "expiry_year": v.int_between(2000, 2100),
    "cardholder_name": v.text(200),
    "billing_address_id": v.text(36),
}
CARD_FIELDS = ("card_type", "last4", "expiry_month", "expiry_year", "cardholder_name")
CARD_REQUIRED = ("last4", "expiry_month", "expiry_year")


def _raw_card_number(field: str) -> DomainError:
    return DomainError(
        UsersErrorCode.RAW_CARD_NUMBER_REJECTED,
        "Card numbers are never stored: send the payment provider's token and the last 4 digits.",
        field=field,
    )


# Profiles, kept in step with auth's events.


async def create_profile(
    db: AsyncSession, *, user_id: str, email: str, email_verified: bool, is_active: bool = True
) -> bool:
    """Create the profile of a newly registered user; False when it already exists."""
    values = {
        "user_id": user_id,
        "email": email.strip().lower(),
        "email_verified": email_verified,
        "is_active": is_active,
    }
    stmt = (
        insert(Profile)
        .values(values)
        .on_conflict_do_nothing(index_elements=[Profile.user_id])
        .returning(Profile.id)
    )
    created = (await db.execute(stmt)).first() is not None
    await db.commit()
    return created


async def mark_email_verified(db: AsyncSession, user_id: str) -> None:
    await _sync_profile(db, user_id, email_verified=True)


async def deactivate_profile(db: AsyncSession, user_id: str) -> None:
    await _sync_profile(db, user_id, is_active=False)


async def record_login(db: AsyncSession, user_id: str, at: datetime) -> None:
    # Logins may arrive out of order across restarts: keep the latest.
    latest = func.greatest(Profile.last_login_at, literal(at, DateTime(timezone=True)))
    await _sync_profile(db, user_id, last_login_at=latest)


async def _sync_profile(db: AsyncSession, user_id: str, **values: Any) -> None:
    await db.execute(update(Profile).where(Profile.user_id == user_id).values(**values))
    await db.commit()


async def update_profile(db: AsyncSession, user_id: str, changes: Mapping[str, Any]) -> Profile:
    """Apply the given changes (absent keys stay as they are); the phone is unique."""
    profile = await _active_profile(db, user_id)
    for name, value in v.clean(changes, PROFILE_FIELDS).items():
        setattr(profile, name, value)
    try:
        await db.commit()
    except IntegrityError:
        # The phone is the only unique column a user can change.
        await db.rollback()
        raise DomainError(
            ErrorCode.CONFLICT, "This phone number is already in use.", field="phone"
        ) from None
    return profile


# Addresses.


async def create_address(
    db: AsyncSession, user_id: str, fields: Mapping[str, Any], *, is_default: bool = False
) -> Address:
    await _active_profile(db, user_id)
    values = v.clean(fields, ADDRESS_FIELDS)
    v.require(values, ADDRESS_REQUIRED)
    address = Address(user_id=user_id, is_default=False, **values)
    db.add(address)
    if is_default:
        await _make_default_address(db, address)
    await db.commit()
    return address


async def update_address(
    db: AsyncSession, user_id: str, address_id: str, changes: Mapping[str, Any]
) -> Address:
    await _active_profile(db, user_id)
    address = await _owned(db, Address, address_id, user_id)
    values = v.clean(changes, ADDRESS_FIELDS)
    was_default, address.is_default = address.is_default, False
    for name, value in values.items():
        setattr(address, name, value)
    if was_default:
        # A new type may compete with another default: settle it as setAddressDefault does.
        await _make_default_address(db, address)
    await db.commit()
    return address


async def delete_address(db: AsyncSession, user_id: str, address_id: str) -> None:
    await _active_profile(db, user_id)
    await db.delete(await _owned(db, Address, address_id, user_id))
    await db.commit()


async def set_default_address(db: AsyncSession, user_id: str, address_id: str) -> Address:
    """Make the address the default for its purposes, clearing any default it replaces."""
    await _active_profile(db, user_id)
    address = await _owned(db, Address, address_id, user_id)
    await _make_default_address(db, address)
    await db.commit()
    return address


async def _make_default_address(db: AsyncSession, address: Address) -> None:
    overlapping = AddressType(address.type).overlapping()
    await _make_default(db, address, Address.type.in_(overlapping))


# Saved payment methods.


async def add_payment_method(
    db: AsyncSession,
    user_id: str,
    fields: Mapping[str, Any],
    *,
    keyring: Keyring,
    is_default: bool = False,
) -> PaymentMethod:
    """Save a provider-tokenised payment method, its token encrypted with ``keyring``;
    a raw card number anywhere is refused."""
    _reject_card_numbers(fields)
    await _active_profile(db, user_id)
    values = v.clean(fields, PAYMENT_METHOD_FIELDS)
    v.require(values, ("type", "provider_token"))
    _check_card_details(values)
    if values.get("billing_address_id") is not None:
        await _owned(db, Address, values["billing_address_id"], user_id, field="billingAddressId")
    if await _saved_token(db, user_id, values["provider_token"], keyring):
        raise DomainError(
            ErrorCode.CONFLICT, "This payment method is already saved.", field="providerToken"
        )
    values["provider_token"] = keyring.encrypt(values["provider_token"])
    method = PaymentMethod(user_id=user_id, is_default=False, **values)
    db.add(method)
    if is_default:
        await _make_default(db, method)
    await db.commit()
    return method


def _reject_card_numbers(fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if isinstance(value, str) and uv.contains_card_number(value):
            raise _raw_card_number(v.camel(name))


def _check_card_details(values: Mapping[str, Any]) -> None:
    if not PaymentMethodType(values["type"]).is_card:
        given = [name for name in CARD_FIELDS if values.get(name) is not None]
        if given:
            field = v.camel(given[0])
            raise bad_input(f"{field} does not apply to a PayPal account.", field=field)
        return
    v.require(values, CARD_REQUIRED)
    today = utcnow().date()
    # A card is valid through the last day of its expiry month.
    if (values["expiry_year"], values["expiry_month"]) < (today.year, today.month):
        raise DomainError(UsersErrorCode.CARD_EXPIRED, "The card has expired.", field="expiryYear")


async def _saved_token(db: AsyncSession, user_id: str, token: str, keyring: Keyring) -> bool:
    """Whether the user saved ``token`` already. Encryption is randomised, so the user's
    few tokens are decrypted to compare; the profile lock taken first keeps two saves of
    one token from passing this check at once."""
    stmt = select(PaymentMethod.provider_token).where(PaymentMethod.user_id == user_id)
    return any(keyring.decrypt(stored) == token for stored in await db.scalars(stmt))


async def delete_payment_method(db: AsyncSession, user_id: str, method_id: str) -> None:
    await _active_profile(db, user_id)
    await db.delete(await _owned(db, PaymentMethod, method_id, user_id))
    await db.commit()


async def set_default_payment_method(
    db: AsyncSession, user_id: str, method_id: str
) -> PaymentMethod:
    await _active_profile(db, user_id)
    method = await _owned(db, PaymentMethod, method_id, user_id)
    await _make_default(db, method)
    await db.commit()
    return method


# Preferences.

PREFERENCE_KEY = v.required(v.text(100))
PREFERENCE_VALUE = v.required(v.text(2000))


async def set_preference(db: AsyncSession, user_id: str, key: str, value: str) -> Preference:
    """Create or replace the user's value for ``key``."""
    key, value = PREFERENCE_KEY(key, "key"), PREFERENCE_VALUE(value, "value")
    await _active_profile(db, user_id)
    stmt = insert(Preference).values(user_id=user_id, key=key, value=value)
    upsert = stmt.on_conflict_do_update(
        index_elements=[Preference.user_id, Preference.key],
        set_={"value": stmt.excluded.value, "updated_at": utcnow()},
    ).returning(Preference)
    options = {"populate_existing": True}
    preference = (await db.execute(upsert, execution_options=options)).scalar_one()
    await db.commit()
    return preference


async def delete_preference(db: AsyncSession, user_id: str, key: str) -> None:
    key = PREFERENCE_KEY(key, "key")
    await _active_profile(db, user_id)
    stmt = delete(Preference).where(Preference.user_id == user_id, Preference.key == key)
    await _delete_one(db, stmt, "Preference", field="key")


# Wishlist.

PRODUCT_ID = v.required(v.text(36))
NOTES = v.text(500)


@dataclass(frozen=True)
class ProductSnapshot:
    """A product as one of products' events describes it."""

    product_id: str
    name: str
    image_url: str | None
    price: Decimal
    currency: str
    updated_at: datetime
    is_public: bool

    def columns(self) -> dict[str, Any]:
        return {
            "product_name": self.name,
            "product_image_url": self.image_url,
            "product_price": self.price,
            "product_currency": self.currency,
            "product_snapshot_at": self.updated_at,
        }


SNAPSHOT_COLUMNS = (
    WishlistItem.product_name,
    WishlistItem.product_image_url,
    WishlistItem.product_price,
    WishlistItem.product_currency,
    WishlistItem.product_snapshot_at,
)


async def record_product_snapshot(db: AsyncSession, snapshot: ProductSnapshot) -> None:
    """Copy the snapshot into every wishlist item of its product.

    Only what customers could see is kept: a product that turns draft, hidden or archived
    keeps its last public snapshot (products answers null for it; the snapshot says what
    it was). An item holding a newer snapshot keeps it, so a late event changes nothing.
    """
    if not snapshot.is_public:
        return
    held = WishlistItem.product_snapshot_at
    stmt = (
        update(WishlistItem)
        .where(
            WishlistItem.product_id == snapshot.product_id,
            or_(held.is_(None), held <= snapshot.updated_at),
        )
        .values(snapshot.columns())
        .execution_options(synchronize_session=False)
    )
    await db.execute(stmt)
    await db.commit()


async def add_wishlist_item(
    db: AsyncSession, user_id: str, product_id: str, notes: str | None = None
) -> WishlistItem:
    """Add the product to the wishlist, with the product's snapshot when another wishlist
    holds one; a product already there is returned unchanged."""
    product_id, notes = PRODUCT_ID(product_id, "productId"), NOTES(notes, "notes")
    await _active_profile(db, user_id)
    snapshot = await _known_snapshot(db, product_id)
    stmt = insert(WishlistItem).values(
        user_id=user_id, product_id=product_id, notes=notes, **snapshot
    )
    stmt = stmt.on_conflict_do_nothing(
        index_elements=[WishlistItem.user_id, WishlistItem.product_id]
    )
    await db.execute(stmt)
    query = select(WishlistItem).where(
        WishlistItem.user_id == user_id, WishlistItem.product_id == product_id
    )
    item = (await db.scalars(query)).one()
    await db.commit()
    return item


async def _known_snapshot(db: AsyncSession, product_id: str) -> dict[str, Any]:
    """The newest snapshot of the product any wishlist holds, as column values; {} if none."""
    stmt = (
        select(*SNAPSHOT_COLUMNS)
        .where(WishlistItem.product_id == product_id, WishlistItem.product_snapshot_at.is_not(None))
        .order_by(WishlistItem.product_snapshot_at.desc())
        .limit(1)
    )
    row = (await db.execute(stmt)).mappings().first()
    return dict(row) if row is not None else {}


async def remove_wishlist_item(db: AsyncSession, user_id: str, product_id: str) -> None:
    product_id = PRODUCT_ID(product_id, "productId")
    await _active_profile(db, user_id)
    stmt = delete(WishlistItem).where(
        WishlistItem.user_id == user_id, WishlistItem.product_id == product_id
    )
    await _delete_one(db, stmt, "Wishlist item", field="productId")


# Helpers shared by the writes.


async def _active_profile(db: AsyncSession, user_id: str) -> Profile:
    """The caller's profile, locked: concurrent writes of one user (defaults above all)
    run one after the other."""
    stmt = select(Profile).where(Profile.user_id == user_id).with_for_update()
    profile = await db.scalar(stmt)
    if profile is None:
        raise not_found("Profile")
    if not profile.is_active:
        raise forbidden("This account is deactivated.")
    return profile


Owned = TypeVar("Owned", Address, PaymentMethod)


async def _owned(
    db: AsyncSession, model: type[Owned], row_id: str, user_id: str, *, field: str = "id"
) -> Owned:
    row = await db.get(model, row_id) if v.is_id(row_id) else None
    if row is None:
        raise not_found(_label(model), field=field)
    if row.user_id != user_id:
        raise forbidden()
    return row


def _label(model: type[Address | PaymentMethod]) -> str:
    return "Address" if model is Address else "Payment method"


async def _make_default(
    db: AsyncSession, row: Address | PaymentMethod, *scope: ColumnElement[bool]
) -> None:
    """Clear the competing defaults first: the partial unique index refuses two at once."""
    await db.flush()
    model = type(row)
    await db.execute(
        update(model)
        .where(model.user_id == row.user_id, model.id != row.id, model.is_default.is_(True), *scope)
        .values(is_default=False)
    )
    row.is_default = True


async def _delete_one(db: AsyncSession, stmt: Delete, what: str, *, field: str) -> None:
    # A DELETE without RETURNING gives a CursorResult; SQLAlchemy types execute() as Result.
    result = cast("CursorResult[Any]", await db.execute(stmt))
    if result.rowcount == 0:
        raise not_found(what, field=field)
    await db.commit()
