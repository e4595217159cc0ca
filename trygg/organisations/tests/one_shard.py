"""Checks on the SQL a request sent, for the tables sharded by municipality (decision 0039).

Citus runs a query that reads two sharded tables (joined, or one in a subquery) only when each
of them names the municipality: a constant (`municipality_id = 5`) or the other table's
(`"events_event"."municipality_id" = "citizens_citizenreport"."municipality_id"`). A query
that names none reads every shard. These checks read the captured SQL text (`FROM`/`JOIN` of
a sharded table, and its `municipality_id` after the selected columns), so they hold on SQLite
as on PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.organisations.tests.factories import bearer
from trygg.places.municipality_column import StaysInItsMunicipality

# `FROM "table"` or `JOIN "table"`, with the alias Django gives a table read twice or in a
# subquery (`T9`, `U0`).
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"(?:\s+([A-Z]\d+)\b)?')


def sharded_tables() -> frozenset[str]:
    return frozenset(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, StaysInItsMunicipality)
    )


def _reads(sql: str, tables: Iterable[str]) -> list[str]:
    """How the statement refers to each table of `tables` it reads: `"table"` or its alias."""
    wanted = set(tables)
    return [alias or f'"{table}"' for table, alias in TABLE.findall(sql) if table in wanted]


def _body(sql: str) -> str:
    """The statement after its selected columns (which name every column of a joined row)."""
    return sql[sql.find(" FROM ") :]


def unnamed(sql: str) -> list[str]:
    """The sharded tables a statement reads beside another one without naming their
    municipality: what Citus refuses (or, in a subquery, reads from every shard)."""
    reads = _reads(sql, sharded_tables())
    if len(reads) < 2:
        return []
    body = _body(sql)
    return [ref for ref in reads if f'{ref}."municipality_id"' not in body]


def joins_without_municipality(statements: Iterable[str]) -> list[str]:
    """The statements of `statements` that read two sharded tables without naming the
    municipality of each."""
    return [sql for sql in statements if unnamed(sql)]


def without_municipality(statements: Iterable[str], table: str) -> list[str]:
    """The statements reading `table` that never name its municipality: on Citus they read
    every shard."""
    found = []
    for sql in statements:
        refs = _reads(sql, [table])
        if refs and not any(f'{ref}."municipality_id"' in _body(sql) for ref in refs):
            found.append(sql)
    return found


def read_api(client, user, *paths) -> tuple[list[dict], list[str]]:
    """GET each of `paths` with the user's bearer token: the JSON bodies (each answer must be
    200) and the SQL all of them sent."""
    with CaptureQueriesContext(connection) as queries:
        bodies = []
        for path in paths:
            response = client.get(path, **bearer(user))
            assert response.status_code == 200, (path, response.content)
            bodies.append(response.json())
    return bodies, [q["sql"] for q in queries.captured_queries]
