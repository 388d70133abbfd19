"""The rules for secrets: what a valid email and password are, how passwords are
hashed and checked, and how opaque tokens are made and stored (as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.auth.passwords import PasswordHasher
from shared.auth.service_tokens import parse_credentials
from shared.auth.tokens import SigningKey, TokenIssuer
from shared.database import utcnow
from shared.errors import bad_input
from shared.settings import Settings

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MAX_EMAIL_LENGTH = 254
# Deliberately loose: the verification mail is the real check.
_EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Security:
    """What the auth domain needs besides a database session."""

    settings: Settings
    hasher: PasswordHasher
    issuer: TokenIssuer
    # Checked against when a login names an unknown email, so that answer costs as much
    # time as a wrong password and does not tell which emails have accounts.
    dummy_hash: str
    # Secrets of the service clients by client id (see ``service_clients``).
    service_clients: dict[str, str]

    @classmethod
    def create(cls, settings: Settings, key: SigningKey) -> Security:
        hasher = PasswordHasher.from_settings(settings)
        issuer = TokenIssuer(
            key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        )
        return cls(
            settings,
            hasher,
            issuer,
            hasher.hash(secrets.token_urlsafe(16)),
            parse_credentials(settings.service_credentials),
        )


def normalize_email(raw: str) -> str:
    return raw.strip().lower()


def validate_email(raw: str) -> str:
    """The normalised email, or BAD_USER_INPUT on field ``email``."""
    email = normalize_email(raw)
    if not email:
        raise bad_input("Email is required.", field="email")
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL_PATTERN.fullmatch(email):
        raise bad_input("Enter a valid email address.", field="email")
    return email


def validate_password(password: str, *, field: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise bad_input(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.", field=field
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise bad_input(
            f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.", field=field
        )


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(ttl_seconds: int) -> tuple[str, str, datetime]:
    """A random opaque token, its stored hash, and its expiry."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw), utcnow() + timedelta(seconds=ttl_seconds)
