"""Citus beside one PostgreSQL (issue 16, point 7): the national data set on a coordinator and
two workers on local ports, the same measurements as `bench/national.py`, beside the
single-node figures measured in the same run. Not part of `make test`.

    bench/citus_build.sh ../shared/vendor/citus-13.2.2.tar.gz     # once, as root
    .venv/bin/python bench/national.py                            # builds trygg_bench_national
    .venv/bin/python bench/citus.py                               # this benchmark

    .venv/bin/python bench/citus.py --demo                        # the whole schema, demo data

Steps: three clusters are made with the system's PostgreSQL 15 (`initdb`, as the user
`postgres` when run as root, since the server refuses to run as root) in a temporary folder,
each with `shared_preload_libraries = 'citus'`, started on free local ports; the workers are
added to the coordinator. Trygg's migrations run on the coordinator, and `bench/citus_schema.py`
shards every table that carries a municipality by it (32 shards over the two workers, all
co-located with the events), makes the small shared tables reference tables and gives the keys
the municipality in front (decisions 0037 and 0038). The national data set is
copied table by table from the single-node database that `bench/national.py` built (`COPY …
TO STDOUT` into `COPY … FROM STDIN` on the coordinator, which routes each row to its shard),
so both sides hold exactly the same rows. Then `bench/national.py --reuse` measures each side:
the situation page and the map for Karlstad and the national public overview, each beside its
straightforward version. With `--load`, `bench/http_load.py --national` then runs its 100
concurrent clients across 40 municipalities against each side (the coordinator's gunicorn on
Citus's backend), and their p99 stands beside each other. The clusters are stopped and removed
at the end (`--keep` keeps them running for a look).

All three nodes share this machine's cores with the load generator: Citus here shows that the
schema distributes and the pages work sharded, and what a query costs in coordination; it
cannot show the speed-up of more machines.

With `--demo` no national data set is needed: the demo is loaded into the distributed schema
through Trygg's own actions (`trygg load-demo`, so every app writes into its shards and the
composite foreign keys check every child against its parent), and each sharded table's query
for one municipality is explained to show whether it is sent to one shard. Then each demo
persona's pages are requested on the coordinator (as `bench/citus_audit.py` browses them) and
every page that fails is listed with Citus's message. Where the load stops, the message says
which query does not name the municipality of every sharded table it joins (decision 0039).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.citus_schema import distribute, summary  # noqa: E402
from bench.common import OUT, run_child  # noqa: E402
from bench.national import DATABASE, REPEATS  # noqa: E402
from scripts.run_tests import postgres_url  # noqa: E402

HOST = "127.0.0.1"
NODES = ("coordinator", "worker1", "worker2")
# Tables copied from the single-node database: everything the migrations do not fill the same
# way, in an order where every row's references are already there.
SKIP_COPY = {"django_migrations", "django_content_type", "auth_permission"}


def tool(name: str) -> str:
    """A program on the PATH, by its full path (psql, pg_config)."""
    path = shutil.which(name)
    if path is None:
        sys.exit(f"{name} not found: install the PostgreSQL 15 client and server packages")
    return path


def pg_config(flag: str) -> str:
    return subprocess.run(
        [tool("pg_config"), flag], check=True, capture_output=True, text=True
    ).stdout.strip()


def pg_bin(name: str) -> str:
    return str(Path(pg_config("--bindir")) / name)


def as_postgres(command: list[str]) -> list[str]:
    """The server refuses to run as root: run its tools as `postgres` then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def citus_installed() -> bool:
    return (Path(pg_config("--pkglibdir")) / "citus.so").exists()


class Cluster:
    """A coordinator and two workers, each its own PostgreSQL on a free local port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ports = {node: free_port() for node in NODES}

    def url(self, node: str = "coordinator") -> str:
        return f"postgres://postgres@{HOST}:{self.ports[node]}/postgres"

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
        for node in NODES:
            data = self.folder / node
            subprocess.run(
                as_postgres([pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
                check=True,
                capture_output=True,
            )
            with (data / "postgresql.conf").open("a") as conf:
                conf.write("shared_preload_libraries = 'citus'\nmax_connections = 200\n")
                # A query that joins two sharded tables without naming the municipality of both
                # (a finding and its event, looked up by the phone's id) needs a repartition
                # join; the pages name it, some actions' lookups do not yet.
                conf.write("citus.enable_repartition_joins = on\n")
            options = f"-p {self.ports[node]} -k {self.folder} -c listen_addresses={HOST}"
            subprocess.run(
                as_postgres(
                    [
                        pg_bin("pg_ctl"),
                        "-D",
                        str(data),
                        "-o",
                        options,
                        "-l",
                        str(self.folder / f"{node}.log"),
                        "-w",
                        "start",
                    ]
                ),
                check=True,
                capture_output=True,
            )
        for node in NODES:
            self.sql(node, "CREATE EXTENSION citus")
        port = self.ports["coordinator"]
        self.sql("coordinator", f"SELECT citus_set_coordinator_host('{HOST}', {port})")
        for node in NODES[1:]:
            self.sql("coordinator", f"SELECT citus_add_node('{HOST}', {self.ports[node]})")

    def sql(self, node: str, statement: str) -> str:
        return subprocess.run(
            [tool("psql"), self.url(node), "-v", "ON_ERROR_STOP=1", "-tAc", statement],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def stop(self) -> None:
        for node in NODES:
            subprocess.run(
                as_postgres(
                    [pg_bin("pg_ctl"), "-D", str(self.folder / node), "-m", "fast", "stop"]
                ),
                capture_output=True,
            )


@contextlib.contextmanager
def running_cluster(keep: bool):
    """A started coordinator and two workers in a temporary folder, stopped and removed at the
    end unless `keep`."""
    folder = Path(tempfile.mkdtemp(prefix="trygg-citus-"))
    cluster = Cluster(folder)
    try:
        print(f"Starting Citus in {folder} ...", flush=True)
        cluster.start()
        yield cluster
    finally:
        if keep:
            print(f"Left running: {cluster.url()}")
        else:
            cluster.stop()
            shutil.rmtree(folder, ignore_errors=True)


def manage(url: str, *arguments: str) -> None:
    env = os.environ | {
        "DATABASE_URL": url,
        "TRYGG_SECRET_KEY": "bench-only",
        "TRYGG_DEBUG": "1",
        "TRYGG_CITUS": "1",
    }
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], check=True, env=env)


def migrate_and_distribute(url: str) -> str:
    import psycopg

    manage(url, "migrate", "-v0")
    with psycopg.connect(url, autocommit=True) as connection:
        return summary(distribute(connection))


def shards_touched(url: str) -> list[tuple[str, int, int]]:
    """(table, rows of Karlstad, shards its query for Karlstad is sent to) per sharded table."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        karlstad = _one(
            connection.execute("SELECT id FROM places_municipality WHERE code = '1780'").fetchone()
        )
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT logicalrelid::regclass::text FROM pg_dist_partition "
                "WHERE partmethod = 'h' ORDER BY 1"
            )
        ]
        found = []
        for table in tables:
            query = f'SELECT count(*) FROM "{table}" WHERE municipality_id = {karlstad}'  # noqa: S608
            plan = "\n".join(row[0] for row in connection.execute("EXPLAIN " + query))
            tasks = int(plan.split("Task Count: ", 1)[1].split()[0])
            found.append((table, _one(connection.execute(query).fetchone()), tasks))
        return found


def demo(cluster: Cluster) -> None:
    coordinator = cluster.url()
    print(migrate_and_distribute(coordinator), flush=True)
    print("Loading the demo through the actions ...", flush=True)
    started = time.perf_counter()
    env = os.environ | {
        "DATABASE_URL": coordinator,
        "TRYGG_SECRET_KEY": "bench-only",
        "TRYGG_DEBUG": "1",
        "TRYGG_CITUS": "1",
    }
    loaded = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "load_demo", "--days", "60"],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    print(loaded.stdout, flush=True)
    touched = shards_touched(coordinator)
    if loaded.returncode == 0:
        lines = [f"Demo loaded into the distributed schema in {seconds:.0f} s", *browsed(env)]
    else:
        # The load is one transaction: a failure leaves the tables empty, and the plans
        # below still show where one municipality's query goes.
        stderr = loaded.stderr.splitlines()
        # Trygg's own frames say which query Citus refused.
        where = [line.strip() for line in stderr if "/trygg/" in line and "File " in line]
        errors = [line for line in stderr if "Error: " in line]
        lines = [f"The demo stopped after {seconds:.0f} s: {(errors or ['?'])[-1]}", *where[-4:]]
    lines.append("Karlstad's rows:")
    lines += [f"  {table:<40} {rows:>8} rows   {tasks} shard" for table, rows, tasks in touched]
    wide = [table for table, _rows, tasks in touched if tasks != 1]
    lines.append(
        "Every sharded table's query for one municipality goes to one shard."
        if not wide
        else "Sent to more than one shard: " + ", ".join(wide)
    )
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "citus_demo.txt").write_text(text + "\n", encoding="utf-8")


def browsed(env: dict[str, str]) -> list[str]:
    """Each demo persona's pages requested on the loaded coordinator (as in
    bench/citus_audit.py): how many, and each that failed with Citus's message."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "citus_audit.py"),
            "--browse-only",
            env["DATABASE_URL"],
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    summary = [line for line in result.stdout.splitlines() if line.startswith(("PAGES", "  "))]
    if not summary:
        return ["Browsing the pages failed: " + (result.stderr.strip().splitlines() or ["?"])[-1]]
    _, pages, _, calls, _, deleted, _, failed = summary[0].split()
    heading = f"Requested as the demo personas: {pages} pages and {calls} API calls"
    deletes = f"{deleted} of 2 rows deleted through the admin"
    return [f"{heading}; {deletes}; failed: {failed}", *summary[1:]]


def tables_in_order(source: str) -> list[str]:
    """The source database's tables, each after the tables its foreign keys point at."""
    import psycopg

    with psycopg.connect(source) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        edges = connection.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid <> confrelid"
        ).fetchall()
    needs: dict[str, set[str]] = {name: set() for name in names}
    for child, parent in edges:
        needs.setdefault(child, set()).add(parent)
    ordered: list[str] = []
    while needs:
        ready = sorted(name for name, parents in needs.items() if parents <= set(ordered))
        if not ready:  # a cycle: take the rest as they are
            ready = sorted(needs)
        for name in ready:
            ordered.append(name)
            del needs[name]
    return [name for name in ordered if name in names and name not in SKIP_COPY]


def copy_data(source: str, target: str) -> dict[str, int]:
    """Every table's rows from the single-node database into the coordinator, and the
    sequences after them; the rows copied per table."""
    import psycopg

    tables = tables_in_order(source)
    copied = {}
    with psycopg.connect(source) as src, psycopg.connect(target, autocommit=True) as dst:
        dst.execute("TRUNCATE " + ", ".join(f'"{name}"' for name in reversed(tables)) + " CASCADE")
        for name in tables:
            columns = [
                row[0]
                for row in src.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                    "ORDER BY ordinal_position",
                    [name],
                )
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            with (
                src.cursor().copy(f'COPY "{name}" ({listed}) TO STDOUT') as out,
                dst.cursor().copy(f'COPY "{name}" ({listed}) FROM STDIN') as into,
            ):
                for block in out:
                    into.write(block)
            # Names from the catalogue, not from input.
            count = f'SELECT count(*) FROM "{name}"'  # noqa: S608
            copied[name] = _one(src.execute(count).fetchone())
        for sequence, table, column in src.execute(
            "SELECT s.relname, t.relname, a.attname FROM pg_depend d "
            "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
            "JOIN pg_class t ON t.oid = d.refobjid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
        ).fetchall():
            if table in copied:
                highest = f'SELECT COALESCE(max("{column}"), 1) FROM "{table}"'  # noqa: S608
                dst.execute(f"SELECT setval('\"{sequence}\"', ({highest}))")
    return copied


def _one(row) -> int:
    assert row is not None  # a count always answers one row
    return int(row[0])


def measure(url: str, events: int, *, citus: bool) -> dict:
    arguments = ["--database-url", url, "--events", str(events), "--reuse"]
    env = {"TRYGG_CITUS": "1" if citus else "0"}
    return run_child(str(ROOT / "bench" / "national.py"), arguments, env=env)


def load(url: str, *, citus: bool) -> dict:
    """`bench/http_load.py --national` against `url`: 100 clients across 40 municipalities
    (issue 16 point 5), the server and its child on Citus's backend when `citus`."""
    name = "http_load_citus" if citus else "http_load_single"
    command = [sys.executable, str(ROOT / "bench" / "http_load.py"), "--national"]
    command += ["--national-url", url, "--out-name", name]
    env = os.environ | {"TRYGG_CITUS": "1" if citus else "0"}
    subprocess.run(command, check=True, env=env)
    return json.loads((OUT / f"{name}.json").read_text(encoding="utf-8"))


def load_report(single: dict, sharded: dict) -> list[str]:
    lines = ["  100 clients across 40 municipalities (bench/http_load.py --national), p99:"]
    for n, level in enumerate(single["levels"]):
        think = level["all"]["think_s"]
        for kind, title in (("page", "situation page"), ("post", "POST /api/v1/events")):
            one, many = level[kind], sharded["levels"][n][kind]
            figures = f"{one['p99_ms']:8.0f} ms {many['p99_ms']:9.0f} ms   {200:4d} ms"
            errors = f"(errors {sum(one['errors'].values())} / {sum(many['errors'].values())})"
            lines.append(f"    think {think:g} s, {title:<20} {figures}   {errors}")
    return lines


def report(single: dict, sharded: dict, setup: dict) -> str:
    lines = [
        f"National data set: {setup['events']:,} events; Citus: coordinator + 2 workers on this "
        f"machine, 32 shards by municipality (copied in {setup['copy_seconds']:.0f} s)",
        f"  {'':<28} {'one PostgreSQL':>16} {'Citus':>12}   {'budget':>7}",
    ]
    for key, title, budget in (
        ("page", "situation page, Karlstad", 150),
        ("national", "national public overview", 500),
        ("map", "map view change, Karlstad", 300),
    ):
        one, many = single[key]["median_ms"], sharded[key]["median_ms"]
        bases = [side[f"{key}_baseline"]["median_ms"] for side in (single, sharded)]
        lines.append(
            f"  {title:<28} {one:13.1f} ms {many:9.1f} ms   {budget:4d} ms   "
            f"(Citus/single {many / one:4.1f}×; baselines {bases[0]:.0f} / {bases[1]:.0f} ms)"
        )
    lines.append(f"  (medians of {REPEATS} requests, server time in-process)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the clusters running")
    parser.add_argument("--source", default=DATABASE, help="the single-node database to copy")
    parser.add_argument("--demo", action="store_true", help="load the demo instead of copying")
    parser.add_argument(
        "--load", action="store_true", help="also 100 concurrent clients on each side"
    )
    args = parser.parse_args()
    if not citus_installed():
        sys.exit("Citus is not installed: run bench/citus_build.sh with the vendored source first")
    if args.demo:
        with running_cluster(args.keep) as cluster:
            demo(cluster)
        return
    url = postgres_url()
    if url is None:
        sys.exit("PostgreSQL: no server found (DATABASE_URL or 127.0.0.1:5432)")
    single_url = url.rsplit("/", 1)[0] + f"/{args.source}"
    import psycopg

    with psycopg.connect(single_url) as connection:
        events = _one(connection.execute("SELECT count(*) FROM events_event").fetchone())
    with running_cluster(args.keep) as cluster:
        coordinator = cluster.url()
        print(migrate_and_distribute(coordinator), flush=True)
        print(f"Copying {events:,} events ...", flush=True)
        started = time.perf_counter()
        copy_data(single_url, coordinator)
        copy_seconds = time.perf_counter() - started
        cluster.sql("coordinator", "VACUUM ANALYZE")
        print("Measuring both ...", flush=True)
        sharded = measure(coordinator, events, citus=True)
        single = measure(single_url, events, citus=False)
        text = report(single, sharded, {"events": events, "copy_seconds": copy_seconds})
        if args.load:
            print("Loading both with 100 clients ...", flush=True)
            loaded = load(coordinator, citus=True), load(single_url, citus=False)
            text += "\n" + "\n".join(load_report(loaded[1], loaded[0]))
        print(text)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "citus.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
