"""PostgreSQL with Citus (TRYGG_CITUS=1; decisions 0037 to 0039): Django's PostgreSQL backend
with one feature turned off, and bulk inserts written as VALUES (compiler.py).

On Citus every table sharded by municipality has the primary key (municipality_id, id)
(bench/citus_schema.py), since a unique key must hold the distribution column. PostgreSQL lets
a GROUP BY on a table's primary key stand for all its columns, and Django leans on that: it
groups an annotated query (a dialogue with its number of quotes) by `id` alone. With the
composite key `id` is no longer the key, and PostgreSQL refuses the query. Without the
feature Django groups by every selected column, which both databases accept.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, features, operations


class DatabaseFeatures(features.DatabaseFeatures):
    allows_group_by_selected_pks = False


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "trygg.core.citus.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
