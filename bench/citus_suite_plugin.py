"""A pytest plugin for `bench/citus_audit.py --suite`: records the distinct SQL statements that
Trygg's own code sends while each test runs, with their parameters, the test and the code, and
writes them to the file named by TRYGG_SUITE_AUDIT_OUT (a pickle) when the session ends.

Statements sent by a test's own code (its assertions, its factories writing rows directly)
have no frame of Trygg outside the tests and are left out, as are those of migrations the
tests run: only what the application sends is audited. Parameters that cannot be pickled
(rare adapter objects) drop that statement, and the audit says how many.
"""

from __future__ import annotations

import os
import pickle
import traceback
from pathlib import Path

import pytest

from bench.citus_audit import MIDDLEWARE, SKIPPED, STATEMENTS, Statement

ROOT = Path(__file__).resolve().parent.parent


class SuiteRecorder:
    def __init__(self) -> None:
        self.statements: dict[str, Statement] = {}
        self.step = "setup"
        self.unpicklable = 0

    def __call__(self, execute, sql, params, many, context):
        seen = self.statements.get(sql)
        if seen is not None:
            seen.times += 1
        elif STATEMENTS.match(sql) and not SKIPPED.search(sql):
            where = _application_frames()
            if where:
                first = params[0] if many and params else params
                self._keep(Statement(sql, first, self.step, where))
        return execute(sql, params, many, context)

    def _keep(self, statement: Statement) -> None:
        try:
            pickle.dumps(statement.params)
        except Exception:  # an adapter object of the driver's: counted, not audited
            self.unpicklable += 1
            return
        self.statements[statement.sql] = statement


def _application_frames() -> list[str]:
    """The innermost three frames of Trygg's code outside the tests, innermost last; none for
    a migration's statements, which run before the schema is distributed (decision 0037)."""
    stack = traceback.extract_stack()
    if any("/django/db/migrations/" in frame.filename for frame in stack):
        return []
    frames = [
        f"{Path(frame.filename).relative_to(ROOT)}:{frame.lineno} {frame.name}"
        for frame in stack
        if "/trygg/" in frame.filename
        and "/tests/" not in frame.filename
        and not frame.filename.endswith(MIDDLEWARE)
    ]
    return frames[-3:]


RECORDER = SuiteRecorder()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Only the test's own call: fixtures build the rows, the test exercises the code."""
    from django.db import connections

    RECORDER.step = item.nodeid
    with connections["default"].execute_wrapper(RECORDER):
        yield


def pytest_sessionfinish(session, exitstatus):
    out = Path(os.environ["TRYGG_SUITE_AUDIT_OUT"])
    found = {"statements": list(RECORDER.statements.values()), "dropped": RECORDER.unpicklable}
    out.write_bytes(pickle.dumps(found))
