"""A database that goes away mid-request: a Swedish 503 (JSON under /api/), and the site
answers again once it is back."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


@contextmanager
def database_gone(error=OperationalError):
    """Every query fails as it does when the server is stopped or the connection is cut."""

    def refuse(execute, sql, params, many, context):
        raise error("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def browser(coordinator) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    return client


def test_a_page_gives_the_swedish_503_page_and_answers_again_when_the_database_is_back(browser):
    with database_gone():
        response = browser.get("/handelser/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Tillfälligt otillgänglig" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "<style" not in page  # the CSP allows no inline style

    assert browser.get("/handelser/").status_code == 200


def test_a_lost_connection_is_a_503_too(browser):
    with database_gone(InterfaceError):
        assert browser.get("/handelser/").status_code == 503


def test_the_api_answers_json_503(db):
    client = Client(raise_request_exception=False)
    with database_gone():
        response = client.get("/api/v1/dialogues", HTTP_AUTHORIZATION="Bearer nyckel")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "otillgänglig" in response.json()["detail"]


def test_any_other_error_is_still_the_500_page(browser, monkeypatch):
    import trygg.events.views as views

    def broken(*args, **kwargs):
        raise ValueError("ett fel i koden")

    monkeypatch.setattr(views, "render", broken)
    response = browser.get("/handelser/")
    assert response.status_code == 500
    assert "Ett fel uppstod" in response.content.decode()
