"""The distribution of Trygg's schema over Citus (decision 0037, 0038), read from the migrated
coordinator's own catalogue so that a new table is distributed without editing a list.

* Every table with a NOT NULL `municipality_id` is sharded by it, all co-located with the
  events (same municipality, same node), except the small shared tables below.
* Reference tables (a copy on every node): municipalities, categories, the police's event types,
  organisations, areas, places, the national checklists and questionnaires, and every table
  that a sharded or reference table points at and that is not sharded itself (the users, whom
  records name as their author).
* Everything else stays on the coordinator (memberships, the audit log, the queues, sessions).

Citus needs the distribution column in every primary key and unique constraint of a sharded
table, and allows a foreign key between sharded tables only when it includes that column. So
before sharding, each sharded table's keys get `municipality_id` in front: the primary key
becomes `(municipality_id, id)`, a unique `(a, b)` becomes `(municipality_id, a, b)` (as strict,
since a row's municipality follows from the row), and a foreign key from one sharded table to
another becomes `(municipality_id, parent_id) → (municipality_id, id)`, which also makes the
database refuse a child in another municipality than its parent. Foreign keys the distribution
cannot keep (from a coordinator table into a sharded or a reference one) are dropped and kept by
the application; they are listed in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALWAYS_REFERENCE = (
    "places_municipality",
    "events_category",
    "events_policeeventtype",
    "organisations_organisation",
    "places_area",
    "places_place",
    "walks_checklisttemplate",
    "walks_checklistitem",
    "surveys_questionnaire",
    "surveys_item",
)
ANCHOR = "events_event"
SHARDS = 32


@dataclass
class ForeignKey:
    table: str
    name: str
    columns: list[str]
    target: str
    target_columns: list[str]


@dataclass
class Plan:
    sharded: list[str]
    reference: list[str]
    dropped: list[str] = field(default_factory=list)
    rekeyed: list[str] = field(default_factory=list)


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    return [row[0] for row in cursor.fetchall()]


def _with_municipality(cursor, *, nullable: bool = False) -> set[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND column_name = 'municipality_id' AND is_nullable = ANY(%s)",
        [["NO", "YES"] if nullable else ["NO"]],
    )
    return {row[0] for row in cursor.fetchall()}


def _foreign_keys(cursor) -> list[ForeignKey]:
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, c.confrelid::regclass::text,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                     ORDER BY k.i),
               ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                     ORDER BY k.i)
        FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
        WHERE c.contype = 'f' AND s.nspname = 'public'
        """
    )
    return [
        ForeignKey(t, n, list(cols), target, list(tcols))
        for t, n, target, cols, tcols in cursor.fetchall()
    ]


def plan(cursor) -> Plan:
    tables = set(_tables(cursor))
    sharded = ((_with_municipality(cursor) | {ANCHOR}) & tables) - set(ALWAYS_REFERENCE)
    keys = _foreign_keys(cursor)
    # What a sharded or reference table points at must be on every node too, unless it is a
    # tenant table itself (one whose municipality may still be empty stays where it is).
    tenant = _with_municipality(cursor, nullable=True) - set(ALWAYS_REFERENCE)
    reference = set(ALWAYS_REFERENCE) & tables
    grown = True
    while grown:
        grown = False
        for key in keys:
            points_out = key.table in sharded or key.table in reference
            if points_out and key.target not in sharded | reference | tenant:
                reference.add(key.target)
                grown = True
    return Plan(sorted(sharded), _referenced_first(sorted(reference), keys))


def _referenced_first(tables: list[str], keys: list[ForeignKey]) -> list[str]:
    needs = {
        t: {k.target for k in keys if k.table == t and k.target in tables and k.target != t}
        for t in tables
    }
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, n in needs.items() if n <= set(ordered)) or sorted(needs)
        for t in ready:
            ordered.append(t)
            del needs[t]
    return ordered


def _unique_indexes(cursor, table: str) -> list[tuple[str, str, bool]]:
    """(index name, definition, backs a constraint) of the table's unique indexes."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid),
               EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass AND x.indisunique
        """,
        [table],
    )
    return cursor.fetchall()


def _rekey(cursor, table: str, result: Plan) -> None:
    """Put municipality_id in front of the table's primary key and unique keys."""
    for name, definition, is_constraint in _unique_indexes(cursor, table):
        columns = definition.split("(", 1)[1]
        if "municipality_id" in columns.split(")", 1)[0]:
            continue
        if is_constraint:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        else:
            cursor.execute(f'DROP INDEX "{name}"')
        if name.endswith("_pkey"):
            cursor.execute(f'ALTER TABLE "{table}" ADD PRIMARY KEY (municipality_id, id)')
        else:
            # CREATE UNIQUE INDEX name ON public.t USING btree (a, b) [WHERE ...]
            head, rest = definition.split("(", 1)
            cursor.execute(f"{head}(municipality_id, {rest}")
        result.rekeyed.append(f"{table}.{name}")


def distribute(connection) -> Plan:
    """Shard and replicate the migrated, empty schema on the coordinator."""
    with connection.cursor() as cursor:
        result = plan(cursor)
        sharded, reference = set(result.sharded), set(result.reference)
        # Every foreign key is dropped first and put back after the distribution where Citus can
        # keep it: a coordinator table with a key to a reference table would otherwise be made
        # a "Citus local table" on the spot, which cannot have the identity columns Django uses.
        restore = []
        for key in _foreign_keys(cursor):
            cursor.execute(f'ALTER TABLE "{key.table}" DROP CONSTRAINT "{key.name}"')
            into_reference = key.target in reference and (
                key.table in sharded or key.table in reference
            )
            if into_reference or (key.table in sharded and key.target in sharded):
                restore.append(key)
            else:
                result.dropped.append(f"{key.table}.{key.columns[0]} → {key.target}")
        for table in result.sharded:
            _rekey(cursor, table, result)
        for table in result.reference:
            cursor.execute("SELECT create_reference_table(%s)", [table])
        cursor.execute(
            "SELECT create_distributed_table(%s, 'municipality_id', shard_count := %s)",
            [ANCHOR, SHARDS],
        )
        for table in result.sharded:
            if table != ANCHOR:
                cursor.execute(
                    "SELECT create_distributed_table(%s, 'municipality_id', colocate_with := %s)",
                    [table, ANCHOR],
                )
        for key in restore:
            columns, targets = list(key.columns), list(key.target_columns)
            if key.target in sharded and "municipality_id" not in columns:
                columns, targets = ["municipality_id", *columns], ["municipality_id", *targets]
            listed = ", ".join(f'"{c}"' for c in columns)
            target_listed = ", ".join(f'"{c}"' for c in targets)
            cursor.execute(
                f'ALTER TABLE "{key.table}" ADD CONSTRAINT "{key.name}" FOREIGN KEY ({listed}) '
                f'REFERENCES "{key.target}" ({target_listed})'
            )
    return result


def summary(result: Plan) -> str:
    lines = [
        f"{len(result.sharded)} tables sharded by municipality, co-located with {ANCHOR}: "
        + ", ".join(result.sharded),
        f"{len(result.reference)} reference tables: " + ", ".join(result.reference),
        f"{len(result.rekeyed)} keys given municipality_id in front",
    ]
    if result.dropped:
        lines.append("Foreign keys kept by the application only: " + "; ".join(result.dropped))
    return "\n".join(lines)
