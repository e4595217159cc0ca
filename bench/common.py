"""What every benchmark shares: a fresh database per run, Django set up in a child process
on it, and the child's result handed back as one JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULT = "RESULT "


def setup_django(database_url: str) -> None:
    """In the child: Django on `database_url`, migrated."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("TRYGG_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def karlstad_organisation(code: str, name: str, kind: str):
    """In the child: Karlstad with its districts, and an organisation there to own the data."""
    from trygg.demo.loader import karlstad, load_districts
    from trygg.organisations.models import Organisation

    municipality = karlstad()
    load_districts(municipality)
    organisation, _ = Organisation.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "municipality": municipality}
    )
    return organisation


def fresh_postgres(url: str, name: str) -> str:
    """Drop and create database `name` on the server at `url`; its URL."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def print_result(result: dict) -> None:
    print(RESULT + json.dumps(result))


def run_child(script: str, arguments: list[str], env: dict[str, str] | None = None) -> dict:
    """Run `script --child ARGUMENTS` (with `env` added to the environment) and return the
    result it printed."""
    command = [sys.executable, script, "--child", *arguments]
    environment = os.environ | (env or {})
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, env=environment
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith(RESULT))
    return json.loads(line[len(RESULT) :])


def events_bench_arguments(doc: str):
    """The flags of a benchmark over N generated events on each database, and its child's."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    return parser.parse_args()


def run_on_each_database(script: str, args, name: str, report) -> None:
    """Run `script`'s child once per database in `args.databases` (a throw-away SQLite file, a
    fresh PostgreSQL database called `name`), print each `report(label, result)` and keep them
    all in bench/out/NAME.txt."""
    import tempfile

    from scripts.run_tests import postgres_url

    OUT.mkdir(parents=True, exist_ok=True)
    texts = []
    arguments = ["--events", str(args.events)]
    for database in args.databases.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{folder}/bench.sqlite3"
                result = run_child(script, ["--database-url", url, *arguments])
        else:
            server = postgres_url()
            if server is None:
                print("PostgreSQL: no server found, skipped")
                continue
            url = fresh_postgres(server, f"trygg_bench_{name}")
            result = run_child(script, ["--database-url", url, *arguments])
        texts.append(report("SQLite" if database == "sqlite" else "PostgreSQL", result))
        print(texts[-1], flush=True)
    (OUT / f"{name}.txt").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
