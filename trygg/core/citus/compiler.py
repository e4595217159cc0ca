"""PostgreSQL's SQL compilers, except that a bulk insert lists its rows (VALUES) rather than
selecting them from arrays (UNNEST).

Django writes several rows on PostgreSQL as `INSERT … SELECT * FROM UNNEST(…)`, which plans
faster there. Citus runs an INSERT … SELECT through the coordinator, reading the rows back and
sending each to its shard; a VALUES insert it routes itself, straight to the one shard when the
rows are of one municipality (a measure's links to its events, a walk's stops)."""

from __future__ import annotations

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)
from django.db.models.sql.compiler import SQLInsertCompiler

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]
