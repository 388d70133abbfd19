"""The users subgraph's operations, as its clients send them."""

from __future__ import annotations

PROFILE_FIELDS = """
  userId email firstName lastName phone avatarUrl dateOfBirth gender
  preferredCurrency preferredLanguage newsletterSubscribed marketingOptIn
  isActive emailVerified
"""

ADDRESS_FIELDS = """
  type isDefault firstName lastName company addressLine1 addressLine2
  city state postalCode country phone
"""

PAYMENT_METHOD_FIELDS = """
  type isDefault cardType last4 expiryMonth expiryYear cardholderName billingAddressId
"""

MUTATION_PROFILE_UPDATE = f"""
mutation ProfileUpdate($input: ProfileUpdateInput!) {{
  profileUpdate(input: $input) {{ profile {{ {PROFILE_FIELDS} }} }}
}}
"""

MUTATION_ADDRESS_CREATE = f"""
mutation AddressCreate($input: AddressCreateInput!) {{
  addressCreate(input: $input) {{ address {{ id {ADDRESS_FIELDS} }} }}
}}
"""

MUTATION_ADDRESS_UPDATE = f"""
mutation AddressUpdate($input: AddressUpdateInput!) {{
  addressUpdate(input: $input) {{ address {{ {ADDRESS_FIELDS} }} }}
}}
"""

MUTATION_ADDRESS_DELETE = """
mutation AddressDelete($input: AddressDeleteInput!) {
  addressDelete(input: $input) { deletedId }
}
"""

MUTATION_ADDRESS_SET_DEFAULT = """
mutation AddressSetDefault($input: AddressSetDefaultInput!) {
  addressSetDefault(input: $input) { address { id type isDefault } }
}
"""

MUTATION_PAYMENT_METHOD_ADD = f"""
mutation PaymentMethodAdd($input: PaymentMethodAddInput!) {{
  paymentMethodAdd(input: $input) {{ paymentMethod {{ id {PAYMENT_METHOD_FIELDS} }} }}
}}
"""

MUTATION_PAYMENT_METHOD_DELETE = """
mutation PaymentMethodDelete($input: PaymentMethodDeleteInput!) {
  paymentMethodDelete(input: $input) { deletedId }
}
"""

MUTATION_PAYMENT_METHOD_SET_DEFAULT = """
mutation PaymentMethodSetDefault($input: PaymentMethodSetDefaultInput!) {
  paymentMethodSetDefault(input: $input) { paymentMethod { id isDefault } }
}
"""

MUTATION_PREFERENCE_SET = """
mutation PreferenceSet($input: PreferenceSetInput!) {
  preferenceSet(input: $input) { preference { key value } }
}
"""

MUTATION_PREFERENCE_DELETE = """
mutation PreferenceDelete($input: PreferenceDeleteInput!) {
  preferenceDelete(input: $input) { deletedKey }
}
"""

MUTATION_WISHLIST_ITEM_ADD = """
mutation WishlistItemAdd($input: WishlistItemAddInput!) {
  wishlistItemAdd(input: $input) { item { id product { id } notes } }
}
"""

MUTATION_WISHLIST_ITEM_REMOVE = """
mutation WishlistItemRemove($input: WishlistItemRemoveInput!) {
  wishlistItemRemove(input: $input) { removedProductId }
}
"""

QUERY_USER_DATA = f"""
query UserData($representations: [_Any!]!) {{
  _entities(representations: $representations) {{
    ... on User {{
      addresses {{ id {ADDRESS_FIELDS} }}
      paymentMethods {{ id {PAYMENT_METHOD_FIELDS} }}
      preferences {{ key value }}
      wishlist {{ product {{ id }} notes }}
    }}
  }}
}}
"""

QUERY_WISHLIST = """
query Wishlist($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      wishlist {
        product { id }
        productName productImageUrl productPrice productCurrency productSnapshotAt
      }
    }
  }
}
"""


def user_data_of(user_id: str) -> dict[str, object]:
    """Variables of QUERY_USER_DATA for one user."""
    return {"representations": [{"__typename": "User", "id": user_id}]}
