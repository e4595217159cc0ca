"""Logs as JSON lines: one object per record, and for a request its method, path, status and
duration, never the query string, a body or who asked."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from trygg.core.logs import REQUEST_LOGGER, JsonFormatter


def formatted(record: logging.LogRecord) -> dict:
    line = JsonFormatter().format(record)
    assert "\n" not in line  # one record, one line, even with a traceback
    return json.loads(line)


def test_a_record_is_one_json_line_with_utc_time_level_logger_and_message():
    record = logging.LogRecord("trygg.x", logging.WARNING, __file__, 1, "%s jobb", (3,), None)
    record.created = 1795345200.25  # 2026-11-22 12:00:00.25 in Stockholm
    assert formatted(record) == {
        "time": "2026-11-22T11:00:00.250Z",
        "level": "WARNING",
        "logger": "trygg.x",
        "message": "3 jobb",
    }


def test_an_exception_is_kept_on_the_same_line():
    try:
        raise RuntimeError("filen saknas")
    except RuntimeError:
        record = logging.getLogger("trygg.x").makeRecord(
            "trygg.x", logging.ERROR, __file__, 1, "misslyckades", (), sys.exc_info()
        )
    assert "RuntimeError: filen saknas" in formatted(record)["exception"]


@pytest.mark.django_db
def test_a_request_line_has_method_path_status_and_duration_but_no_query_or_user(
    client, settings, caplog, coordinator
):
    settings.MIDDLEWARE = ["trygg.core.logs.RequestLogMiddleware", *settings.MIDDLEWARE]
    client.force_login(coordinator)
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        client.post("/handelser/?q=Storgatan+12", {"description": "Anna Andersson, 0701234567"})
    (record,) = [r for r in caplog.records if r.name == REQUEST_LOGGER]
    line = formatted(record)
    assert line["method"] == "POST" and line["path"] == "/handelser/"
    assert isinstance(line["status"], int) and line["duration_ms"] >= 0
    text = JsonFormatter().format(record)
    for secret in ("Storgatan", "q=", "Anna", "0701234567", coordinator.username):
        assert secret not in text


@pytest.mark.django_db
def test_djangos_own_request_records_say_the_path_without_the_query(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/finns-inte/?namn=Anna")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    line = formatted(record)
    assert (line["path"], line["status"]) == ("/finns-inte/", 404)
    assert "Anna" not in json.dumps(line)
