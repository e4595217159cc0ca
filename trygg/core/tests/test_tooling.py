"""The console command's names and the test runner's PostgreSQL rule."""

import pytest

from scripts import run_tests
from trygg.cli import command_name


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("import", "import_events"),
        ("create-token", "create_token"),
        ("load-demo", "load_demo"),
        ("worker", "worker"),
        ("migrate", "migrate"),
    ],
)
def test_the_trygg_command_maps_friendly_names_to_management_commands(typed, command):
    assert command_name(typed) == command


def ran_on(monkeypatch, url):
    calls = []
    monkeypatch.setattr(run_tests, "postgres_url", lambda: url)
    monkeypatch.setattr(run_tests, "pytest", lambda db, label, args: calls.append(label) or 0)
    return calls


def test_a_missing_postgresql_fails_the_run_when_it_is_required(monkeypatch):
    calls = ran_on(monkeypatch, None)
    monkeypatch.setenv("TRYGG_REQUIRE_POSTGRES", "1")
    assert run_tests.main([]) == 1
    assert calls == ["SQLite"]


def test_a_missing_postgresql_is_skipped_when_it_is_not_required(monkeypatch):
    calls = ran_on(monkeypatch, None)
    monkeypatch.delenv("TRYGG_REQUIRE_POSTGRES", raising=False)
    assert run_tests.main([]) == 0
    assert calls == ["SQLite"]


def test_both_databases_run_when_postgresql_answers(monkeypatch):
    calls = ran_on(monkeypatch, "postgres://postgres@127.0.0.1:5432/test")
    assert run_tests.main([]) == 0
    assert calls == ["SQLite", "PostgreSQL"]
