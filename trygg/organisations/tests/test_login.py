"""Logging in: password guessing is throttled per user name and address (django-axes), the
session ends after a fixed time, and passwords must be long."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from trygg.organisations.tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

LOGIN = "/konto/logga-in/"
HOME = "/handelser/"
HERE, ELSEWHERE = "192.0.2.10", "198.51.100.7"


def log_in(client, username: str, password: str, address: str = HERE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, address: str = HERE) -> list[int]:
    return [log_in(client, username, "fel-lösenord", address).status_code for _ in range(times)]


def test_after_five_failures_even_the_right_password_is_refused_with_the_reason(
    client, coordinator, settings, caplog
):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail(client, coordinator.username, 4) == [200] * 4  # the form again, with its error
    with caplog.at_level(logging.WARNING):
        fifth = log_in(client, coordinator.username, "fel-lösenord")
    assert fifth.status_code == 429
    assert any("Locking out" in record.getMessage() for record in caplog.records)

    response = log_in(client, coordinator.username, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "För många misslyckade inloggningar. Vänta 15 minuter och försök igen" in text
    assert 'name="password"' in text and f'value="{coordinator.username}"' in text
    assert not logged_in(client)
    attempt = AccessAttempt.objects.get(username=coordinator.username)
    assert attempt.ip_address == HERE and attempt.failures_since_start >= 5


def test_the_lockout_holds_one_address_only_and_ends_after_the_cool_off(
    client, coordinator, frozen_now
):
    assert fail(client, coordinator.username, 5) == [200, 200, 200, 200, 429]
    assert log_in(client, coordinator.username, PASSWORD).status_code == 429

    # The same person from another address (or a colleague typing their name) is not locked out.
    assert log_in(client, coordinator.username, PASSWORD, ELSEWHERE).status_code == 302
    assert logged_in(client)
    client.logout()

    frozen_now.shift(dt.timedelta(minutes=14))
    assert log_in(client, coordinator.username, PASSWORD).status_code == 429
    frozen_now.shift(dt.timedelta(minutes=16))  # a failure during the lockout starts it again
    assert log_in(client, coordinator.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_forgets_the_earlier_failures(client, coordinator):
    fail(client, coordinator.username, 4)
    assert log_in(client, coordinator.username, PASSWORD).status_code == 302
    client.logout()
    fail(client, coordinator.username, 4)
    assert log_in(client, coordinator.username, PASSWORD).status_code == 302


def test_the_admin_shows_the_attempts(client, coordinator):
    fail(client, coordinator.username, 2)
    admin = get_user_model().objects.create_superuser("it-avdelningen", password=PASSWORD)
    client.force_login(admin)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert coordinator.username in response.content.decode()
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200


def test_the_session_ends_eight_hours_after_login_whatever_the_user_does(
    client, coordinator, frozen_now
):
    assert log_in(client, coordinator.username, PASSWORD).status_code == 302
    frozen_now.shift(dt.timedelta(hours=7, minutes=59))
    assert client.get(HOME).status_code == 200
    frozen_now.shift(dt.timedelta(minutes=2))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_password_needs_twelve_characters_and_the_other_three_checks():
    user = get_user_model()(username="ny-samordnare")
    with pytest.raises(ValidationError, match="minst 12 tecken"):
        validate_password("kort-ord-11", user)
    with pytest.raises(ValidationError):
        validate_password("123456789012", user)  # numeric and common
    with pytest.raises(ValidationError):
        validate_password("ny-samordnare1", user)  # too like the user name
    validate_password("tre ord som håller", user)
