from __future__ import annotations

from datetime import UTC, datetime, timedelta

from subgraphs.auth import models

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_user_without_a_lock_is_not_locked() -> None:
    # given
    user = models.User(locked_until=None)

    # then
    assert (user.is_locked(NOW), user.lock_has_expired(NOW)) == (False, False)


def test_user_is_locked_until_the_lock_passes() -> None:
    # given
    user = models.User(locked_until=NOW + timedelta(seconds=1))

    # then
    assert (user.is_locked(NOW), user.lock_has_expired(NOW)) == (True, False)


def test_lock_expires_at_its_instant() -> None:
    # given
    user = models.User(locked_until=NOW)

    # then
    assert (user.is_locked(NOW), user.lock_has_expired(NOW)) == (False, True)


def test_role_names_are_sorted() -> None:
    # given
    user = models.User(roles=[models.Role(name="support"), models.Role(name="admin")])

    # then
    assert user.role_names == ["admin", "support"]


def test_one_time_tokens_are_spent_once() -> None:
    # given
    reset = models.PasswordResetToken(used=False)
    verification = models.EmailVerificationToken(verified=False)

    # when
    reset.spend(NOW)
    verification.spend(NOW)

    # then
    assert (reset.is_spent(), reset.used_at) == (True, NOW)
    assert (verification.is_spent(), verification.verified_at) == (True, NOW)


def test_token_expires_at_its_instant() -> None:
    # given
    token = models.RefreshToken(expires_at=NOW)

    # then
    assert (token.has_expired(NOW - timedelta(seconds=1)), token.has_expired(NOW)) == (False, True)


def test_refresh_token_with_a_successor_was_rotated() -> None:
    # given
    rotated = models.RefreshToken(replaced_by_id="next")
    current = models.RefreshToken(replaced_by_id=None)

    # then
    assert (rotated.was_rotated(), current.was_rotated()) == (True, False)
