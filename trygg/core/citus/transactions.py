"""Transactions on a Citus coordinator that write a reference table after reading sharded ones.

Citus sends a query over several shards through several connections per node at once. A
reference table (municipalities, organisations, categories, users) that sharded tables point
to must be written over the same connection as every earlier query of the transaction, so
Citus refuses to write one after a parallel query ("cannot modify table … because there was a
parallel operation on a distributed table"). Deleting an organisation in the admin does just
that: it reads the sharded rows that point to it, empties their column or deletes them, and then
deletes the organisation. Such a transaction starts with one connection per node."""

from __future__ import annotations

from django.db import connections

ENGINE = "trygg.core.citus"


def on_citus(using: str = "default") -> bool:
    return connections[using].settings_dict["ENGINE"] == ENGINE


def one_connection_per_node(using: str = "default") -> None:
    """Make the rest of the current transaction use one connection per Citus node (a no-op on
    any other database, and outside a transaction, where nothing would keep it)."""
    connection = connections[using]
    if on_citus(using) and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")
