from __future__ import annotations

from datetime import UTC, datetime

from subgraphs.auth import events, models

CREATED = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def a_user() -> models.User:
    return models.User(
        id="user-1",
        email="jane@example.com",
        email_verified=False,
        is_active=True,
        created_at=CREATED,
        roles=[models.Role(name="customer")],
    )


def test_user_registered_carries_the_account() -> None:
    # when
    event = events.user_registered(a_user())

    # then
    assert (event.type, event.source, event.key, event.topic) == (
        "user.registered",
        "auth",
        "user-1",
        "auth",
    )
    assert event.data == {
        "userId": "user-1",
        "email": "jane@example.com",
        "roles": ["customer"],
        "emailVerified": False,
        "isActive": True,
        "createdAt": "2026-01-01T12:00:00+00:00",
    }


def test_token_requests_carry_the_raw_token_and_its_expiry() -> None:
    # when
    verification = events.user_email_verification_requested(a_user(), "raw", CREATED)
    reset = events.user_password_reset_requested(a_user(), "raw", CREATED)

    # then
    expected = {
        "userId": "user-1",
        "email": "jane@example.com",
        "token": "raw",
        "expiresAt": "2026-01-01T12:00:00+00:00",
    }
    assert (verification.type, verification.data) == ("user.email_verification_requested", expected)
    assert (reset.type, reset.data) == ("user.password_reset_requested", expected)


def test_account_changes_are_keyed_by_user() -> None:
    # when
    built = [
        events.user_email_verified(a_user()),
        events.user_logged_in(a_user(), CREATED),
        events.user_password_changed(a_user(), via="reset"),
        events.user_roles_changed(a_user()),
        events.user_deactivated(a_user()),
    ]

    # then
    assert [(event.type, event.key, event.data) for event in built] == [
        ("user.email_verified", "user-1", {"userId": "user-1", "email": "jane@example.com"}),
        ("user.logged_in", "user-1", {"userId": "user-1", "loggedInAt": CREATED.isoformat()}),
        (
            "user.password_changed",
            "user-1",
            {"userId": "user-1", "email": "jane@example.com", "via": "reset"},
        ),
        ("user.roles_changed", "user-1", {"userId": "user-1", "roles": ["customer"]}),
        ("user.deactivated", "user-1", {"userId": "user-1", "email": "jane@example.com"}),
    ]
