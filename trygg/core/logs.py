"""Logs as JSON lines (TRYGG_LOG_FORMAT=json), one object per record, for a log collector.

What a line may say is chosen here, not by whoever logs: the time (UTC), level, logger and
message, and for a request its method, path, status and duration. Never a query string, a body
or who asked: a search for a name or an address would otherwise end up in the log, which is kept
longer and read by more people than the data itself (DESIGN §5).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REQUEST_LOGGER = "trygg.requests"
# The request's fields a record may carry (set by RequestLogMiddleware through `extra`).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        request = getattr(record, "request", None)  # django.request's records carry the request
        if isinstance(request, HttpRequest) and "path" not in line:
            line["method"], line["path"] = request.method, request.path
        if getattr(record, "status_code", None) is not None and "status" not in line:
            line["status"] = record.status_code  # type: ignore[attr-defined]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def utc_time(created: float) -> str:
    moment = dt.datetime.fromtimestamp(created, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RequestLogMiddleware:
    """One INFO record per request on `trygg.requests`: method, path (request.path has no
    query string), status and duration. Placed first, so the duration covers every other
    middleware too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.log = logging.getLogger(REQUEST_LOGGER)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
        }
        self.log.info("%s %s %s", request.method, request.path, response.status_code, extra=fields)
        return response
