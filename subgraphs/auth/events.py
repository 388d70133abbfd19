"""Events the auth service produces, on topic ``auth``, keyed by user id.

The two ``*_requested`` events carry a raw one-time token for the notification
service to mail; it is the only place a raw token goes (the database keeps its hash).
Auth consumes no events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.events.envelope import Event
from subgraphs.auth import models

SOURCE = "auth"

USER_REGISTERED = "user.registered"
USER_EMAIL_VERIFICATION_REQUESTED = "user.email_verification_requested"
USER_EMAIL_VERIFIED = "user.email_verified"
USER_LOGGED_IN = "user.logged_in"
USER_PASSWORD_RESET_REQUESTED = "user.password_reset_requested"
USER_PASSWORD_CHANGED = "user.password_changed"
USER_ROLES_CHANGED = "user.roles_changed"
USER_DEACTIVATED = "user.deactivated"


def _event(type_: str, user: models.User, data: dict[str, Any]) -> Event:
    return Event(type=type_, source=SOURCE, key=user.id, data={"userId": user.id, **data})


def user_registered(user: models.User) -> Event:
    return _event(
        USER_REGISTERED,
        user,
        {
            "email": user.email,
            "roles": user.role_names,
            "emailVerified": user.email_verified,
            "isActive": user.is_active,
            "createdAt": user.created_at.isoformat(),
        },
    )


def user_email_verification_requested(user: models.User, token: str, expires_at: datetime) -> Event:
    return _event(
        USER_EMAIL_VERIFICATION_REQUESTED,
        user,
        {"email": user.email, "token": token, "expiresAt": expires_at.isoformat()},
    )


def user_email_verified(user: models.User) -> Event:
    return _event(USER_EMAIL_VERIFIED, user, {"email": user.email})


def user_logged_in(user: models.User, at: datetime) -> Event:
    return _event(USER_LOGGED_IN, user, {"loggedInAt": at.isoformat()})


def user_password_reset_requested(user: models.User, token: str, expires_at: datetime) -> Event:
    return _event(
        USER_PASSWORD_RESET_REQUESTED,
        user,
        {"email": user.email, "token": token, "expiresAt": expires_at.isoformat()},
    )


def user_password_changed(user: models.User, *, via: str) -> Event:
    """``via`` is "change" (knew the old password) or "reset" (used a reset token)."""
    return _event(USER_PASSWORD_CHANGED, user, {"email": user.email, "via": via})


def user_roles_changed(user: models.User) -> Event:
    return _event(USER_ROLES_CHANGED, user, {"roles": user.role_names})


def user_deactivated(user: models.User) -> Event:
    return _event(USER_DEACTIVATED, user, {"email": user.email})
