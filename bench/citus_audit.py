"""Citus query audit (issue 16, point 7): does every query of one municipality go to one shard?

    .venv/bin/python bench/citus_audit.py            # about 10 minutes on two cores
    .venv/bin/python bench/citus_audit.py --suite    # the test suite's statements instead
    .venv/bin/python bench/citus_audit.py --suite trygg/walks      # one app's tests

`bench/citus.py --demo` loads the demo into Citus and stops at the first query Citus refuses;
this audit finds all of them in one pass. It records every distinct SQL statement (with the
Trygg code that sent it) while the demo loads into one ordinary PostgreSQL, the worker runs its
queue once and each demo persona browses the site (every link reachable from the start page,
a few of each URL shape). Then it starts a Citus coordinator and two workers (as
`bench/citus.py`), migrates and distributes the schema (`bench/citus_schema.py`) and asks the
coordinator to EXPLAIN each statement with its recorded parameters: planning needs no rows, so
the plan shows whether Citus would refuse the query, send it to one shard, or to all of them.
Repartition joins are off here, as a production setup would keep them, so a join between
sharded tables that does not name the municipality on both sides is refused.

With `--suite` the statements are recorded while the test suite runs (on the same ordinary
PostgreSQL, with Citus's backend, through `bench/citus_suite_plugin.py`): the tests post the
forms and call the actions that browsing never reaches. Only statements sent by Trygg's code
outside the tests count. There every "all shards" is listed as such, since a test's name does
not say whether its page is cross-municipal by design; the refused ones are what to mend.

The report (`bench/out/citus_audit.txt`) lists, by the Trygg code that sent them:
- refused: Citus cannot plan it (the message says why);
- all shards: it runs, but on every shard, though sent for one municipality's page or action;
- cross-municipal by design: the same, from the pages that show several municipalities (the
  national overview, the county view, the admin) and the worker's rounds over every
  municipality, where every shard is the point.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.citus import citus_installed, migrate_and_distribute, running_cluster  # noqa: E402
from bench.common import OUT  # noqa: E402
from scripts.run_tests import postgres_url  # noqa: E402

DATABASE = "trygg_citus_audit"  # on the ordinary PostgreSQL; --database names another
PERSONAS = ("samordnare", "kommunpolis", "bovard", "analytiker", "karlskoga", "admin")
COUNTY_PERSONA = "lansstyrelsen"
SUPERUSER = "admin"
# Pages whose every shard is the point: several municipalities on one page.
CROSS_MUNICIPAL_PAGES = ("/oppen/sverige", "/lan/", "/admin/")
CROSS_MUNICIPAL_STEPS = ("worker", "county-setup")
PAGES_PER_SHAPE = 2
MIDDLEWARE = ("trygg/core/proxy.py",)
PAGES_PER_PERSONA = 400
STATEMENTS = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.I)
# Tables that are not Trygg's own: Django's sessions, migrations and the like stay local.
SKIPPED = re.compile(r'"(django_migrations|django_session|pg_\w+)"')


@dataclass
class Statement:
    sql: str
    params: object
    step: str
    where: list[str]
    times: int = 1


@dataclass
class Finding:
    kind: str
    detail: str
    statements: list[Statement] = field(default_factory=list)


class Recorder:
    """Django's execute wrapper: the first call of each distinct SQL text, with its caller."""

    def __init__(self) -> None:
        self.statements: dict[str, Statement] = {}
        self.step = "setup"

    def __call__(self, execute, sql, params, many, context):
        seen = self.statements.get(sql)
        if seen is not None:
            seen.times += 1
        elif STATEMENTS.match(sql) and not SKIPPED.search(sql):
            first = params[0] if many and params else params
            self.statements[sql] = Statement(sql, first, self.step, _trygg_frames())
        return execute(sql, params, many, context)


def _trygg_frames() -> list[str]:
    """The innermost three frames of Trygg's own code, innermost last (the middleware that
    wraps every request is left out: it says nothing of the query)."""
    frames = [
        f"{Path(frame.filename).relative_to(ROOT)}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_stack()
        if "/trygg/" in frame.filename
        and "/trygg/tests/" not in frame.filename
        and not frame.filename.endswith(MIDDLEWARE)
    ]
    return frames[-3:]


def create_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "TRYGG_SECRET_KEY": "bench-only",
            "TRYGG_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "trygg.settings",
            "TRYGG_DB_CONN_MAX_AGE": "0",
            # Recorded as the Citus backend would send them (trygg/core/citus/base.py).
            "TRYGG_CITUS": "1",
        }
    )
    import django

    django.setup()
    from django.conf import settings

    # The worker's round sends notices: kept in memory rather than printed.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def record(recorder: Recorder) -> None:
    """The demo load, the county's accounts, one round of the worker and each persona's pages."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.execute_wrapper(recorder):
        for step, command, arguments in (
            ("load-demo", "load_demo", ["--days", "60"]),
            ("county-setup", "county_setup", ["17"]),
            ("worker", "worker", ["--once"]),
        ):
            recorder.step = step
            started = time.perf_counter()
            call_command(command, *arguments, verbosity=0)
            print(f"  {step}: {time.perf_counter() - started:.0f} s", flush=True)
        for username in (*PERSONAS, COUNTY_PERSONA):
            started = time.perf_counter()
            pages = browse(username, recorder)
            calls = call_api(username, recorder)
            took = time.perf_counter() - started
            print(f"  {username}: {pages} pages and {calls} API calls in {took:.0f} s")
        print(f"  {admin_deletes(recorder)} rows deleted through the admin", flush=True)


def browse(username: str, recorder: Recorder, failures: list[str] | None = None) -> int:
    """Every same-site link from the start page, breadth first, a few of each URL shape; a page
    that fails is added to `failures` (with the error's first line) when given."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    queue, seen = deque(["/"]), set()
    shapes: defaultdict[str, int] = defaultdict(int)
    pages = 0
    while queue and pages < PAGES_PER_PERSONA:
        url = queue.popleft()
        shape = _shape(urlsplit(url).path)
        if url in seen or shapes[shape] >= PAGES_PER_SHAPE:
            continue
        seen.add(url)
        shapes[shape] += 1
        recorder.step = f"{username} {url}"
        pages += 1
        try:
            response = client.get(url)
        except Exception as error:  # the page failed: noted, and the walk goes on
            if failures is None:
                raise
            failures.append(f"{username} {url}: {str(error).splitlines()[0][:200]}")
            continue
        if response.status_code >= 500:
            print(f"    {url}: {response.status_code}", flush=True)
        if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if "text/html" in response.get("Content-Type", "") and response.status_code == 200:
            queue.extend(_links(url, response.content.decode()))
    return pages


def call_api(username: str, recorder: Recorder, failures: list[str] | None = None) -> int:
    """Every GET of the API (from its OpenAPI schema) as `username`'s session: the lists
    first, then each address with ids taken from the lists already read (`{walk_id}` from
    what `/walks` answered), a few ids each, until no address can be filled any more."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from trygg.api import api

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    paths = api.get_openapi_schema()["paths"]
    templates = [path for path, operations in paths.items() if "get" in operations]
    ids: defaultdict[str, list[int]] = defaultdict(list)  # the last path segment: ids it listed
    called = 0
    while templates:
        ready = [t for t in templates if all(ids[k] for k in _id_sources(t))]
        if not ready:
            break
        for template in ready:
            templates.remove(template)
            for url in _filled(template, ids)[:PAGES_PER_SHAPE]:
                recorder.step = f"{username} {url}"
                called += 1
                try:
                    response = client.get(url)
                except Exception as error:  # noted, and the round goes on
                    if failures is None:
                        raise
                    failures.append(f"{username} {url}: {str(error).splitlines()[0][:200]}")
                    continue
                if response.status_code >= 500:
                    print(f"    {url}: {response.status_code}", flush=True)
                if response.status_code == 200 and "json" in response.get("Content-Type", ""):
                    listed = ids[url.rstrip("/").rsplit("/", 1)[-1]]
                    listed.extend(i for i in _ids(response.json()) if i not in listed)
    return called


def admin_deletes(recorder: Recorder, failures: list[str] | None = None) -> int:
    """As the superuser, delete through the admin (the confirmation page, then the POST) a
    walk (a sharded row with sharded dependants) and a place that events point to (a
    reference row whose delete empties a column of sharded rows): how many were deleted."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from trygg.events.models import Event
    from trygg.walks.models import Walk

    client, superuser = Client(), get_user_model().objects.get(username=SUPERUSER)
    client.force_login(superuser)
    walk_id = Walk.objects.order_by("pk").values_list("pk", flat=True).first()
    places = Event.objects.exclude(place=None).values_list("place_id", flat=True).distinct()
    deleted = 0
    for url in (f"/admin/walks/walk/{walk_id}/delete/", _unprotected(superuser, places[:20])):
        recorder.step = f"{SUPERUSER} {url}"
        try:
            shown = client.get(url)
            done = client.post(url, {"post": "yes"})
        except Exception as error:  # noted, and the round goes on
            if failures is None:
                raise
            failures.append(f"{SUPERUSER} POST {url}: {str(error).splitlines()[0][:200]}")
            continue
        if shown.status_code == 200 and done.status_code == 302:
            deleted += 1
        elif failures is not None:
            failures.append(f"{SUPERUSER} POST {url}: {shown.status_code}, {done.status_code}")
    return deleted


def _unprotected(user, place_ids) -> str:
    """The delete page of the first of the places that nothing protects (a measure or a
    meeting may hold on to a place; the events only lose it)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from trygg.places.models import Place
    from trygg.places.sharded_admin import deleted_objects

    request = RequestFactory().get("/admin/")
    request.user = user
    for place in Place.objects.filter(pk__in=list(place_ids)).order_by("pk"):
        if not deleted_objects([place], request, admin.site)[3]:
            return f"/admin/places/place/{place.pk}/delete/"
    raise LookupError("every place that events point to is protected")


def _id_sources(template: str) -> list[str]:
    """The list that gives each `{x_id}` of an address its ids: whatever address ending in
    the segment before it answered (`/walks/{walk_id}` from `/walks`, and
    `/commitments/{commitment_id}` from a promise's `/promises/N/commitments`)."""
    segments = template.strip("/").split("/")
    return [segments[n - 1] for n, segment in enumerate(segments) if segment.startswith("{")]


def _filled(template: str, ids: dict[str, list[int]]) -> list[str]:
    segments = template.strip("/").split("/")
    urls = [""]
    for n, segment in enumerate(segments):
        if segment.startswith("{"):
            urls = [f"{u}/{i}" for u in urls for i in ids[segments[n - 1]][:PAGES_PER_SHAPE]]
        else:
            urls = [f"{u}/{segment}" for u in urls]
    return urls


def _ids(body) -> list[int]:
    """The `id` of each object an API list answers, bare or under `items`/`results`."""
    rows = body
    if isinstance(body, dict):
        rows = next((v for v in body.values() if isinstance(v, list)), [])
    return [row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)]


def _links(base: str, html: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"#]+)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(("/static/", "/media/", "/konto/logga-ut")):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def explain_all(statements: list[Statement], coordinator: str) -> dict[str, Finding]:
    """EXPLAIN each statement on the coordinator through Django's own cursor, so the
    parameters are adapted exactly as they were when recorded."""
    from django.db import connection

    connection.close()
    parts = urlsplit(coordinator)
    connection.settings_dict.update(
        HOST=parts.hostname, PORT=parts.port, NAME=parts.path.lstrip("/"), USER="postgres"
    )
    findings: dict[str, Finding] = {}
    with connection.cursor() as cursor:
        cursor.execute("SET citus.enable_repartition_joins = off")
        for statement in statements:
            kind, detail = _plan(cursor, statement)
            if kind == "one shard":
                continue
            if kind == "all shards" and _cross_municipal(statement.step):
                kind = "cross-municipal by design"
            # By the innermost Trygg frame; a statement of Django's own pages (the admin) by
            # the page's address instead.
            place = statement.where[-1] if statement.where else _shape(statement.step)
            key = f"{kind}|{detail}|{place}"
            findings.setdefault(key, Finding(kind, detail)).statements.append(statement)
    return findings


def _shape(step: str) -> str:
    return re.sub(r"\d+", "N", step.split("?", 1)[0])


def _plan(cursor, statement: Statement) -> tuple[str, str]:
    from django.db import DatabaseError

    # Autocommit: a refused statement ends its own transaction and leaves the next one clean.
    try:
        if statement.params is None:
            cursor.execute("EXPLAIN " + statement.sql)
        else:
            cursor.execute("EXPLAIN " + statement.sql, statement.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    except DatabaseError as error:
        return "refused", str(error).splitlines()[0]
    tasks = [int(count) for count in re.findall(r"Task Count: (\d+)", plan)]
    if "Custom Scan (Citus" not in plan or (tasks and max(tasks) == 1):
        return "one shard", ""
    return "all shards", f"{max(tasks, default=0)} tasks"


def _cross_municipal(step: str) -> bool:
    if step in CROSS_MUNICIPAL_STEPS:
        return True
    user, _space, url = step.partition(" ")
    # The superuser sees every municipality: a list without one chosen (`/vandringar/`,
    # `/api/v1/walks`) is all of them.
    everyone = user == SUPERUSER and "kommun=" not in url
    return everyone or url.startswith(CROSS_MUNICIPAL_PAGES)


def report(findings: dict[str, Finding], recorded: int) -> str:
    order = {"refused": 0, "all shards": 1, "cross-municipal by design": 2}
    counts: dict[str, int] = defaultdict(int)
    for finding in findings.values():
        counts[finding.kind] += len(finding.statements)
    lines = [
        f"Citus query audit: {recorded:,} distinct statements recorded; "
        + ", ".join(f"{kind}: {counts[kind]}" for kind in order)
        + f"; one shard: {recorded - sum(counts.values()):,}",
        "",
    ]
    for finding in sorted(findings.values(), key=lambda f: (order[f.kind], f.statements[0].where)):
        first = finding.statements[0]
        lines.append(f"[{finding.kind}] {finding.detail} ({len(finding.statements)} statements)")
        lines += [f"    {frame}" for frame in first.where] or ["    (no Trygg frame)"]
        lines.append(f"    during: {first.step}")
        lines.append(f"    {first.sql[:400]}")
        lines.append("")
    return "\n".join(lines)


def record_suite(url: str, pytest_args: list[str]) -> list[Statement]:
    """The test suite (or the part `pytest_args` names) run on PostgreSQL with Citus's backend
    and `bench/citus_suite_plugin.py`: the statements Trygg's code sent in the tests, which
    post every form and call every action, where the demo's browsing only reads. A failing
    test does not stop the audit (it says so); its statements up to the failure count."""
    import pickle
    import subprocess

    saved = OUT / "citus_suite_statements.pickle"
    OUT.mkdir(parents=True, exist_ok=True)
    env = os.environ | {
        "DATABASE_URL": url,
        "TRYGG_CITUS": "1",
        "TRYGG_SUITE_AUDIT_OUT": str(saved),
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "bench.citus_suite_plugin", *pytest_args]
    finished = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if finished.returncode not in (0, 1):  # 1: some test failed; anything else: no run
        sys.exit(f"pytest could not run the suite (exit code {finished.returncode})")
    found = pickle.loads(saved.read_bytes())  # noqa: S301 -- written by our own child just now
    saved.unlink()
    if found["dropped"]:
        print(f"  {found['dropped']} statements with parameters that could not be kept")
    return found["statements"]


def browse_only(url: str) -> None:
    """Each persona's pages on an already loaded database (`bench/citus.py --demo` on the
    coordinator): how many were shown, and each one that failed."""
    setup_django(url)
    from django.contrib.auth import get_user_model

    # The county's account exists only after `trygg county-setup`.
    names = get_user_model().objects.filter(username__in=(*PERSONAS, COUNTY_PERSONA))
    failures: list[str] = []
    pages = calls = 0
    for name in names.values_list("username", flat=True):
        pages += browse(name, Recorder(), failures)
        calls += call_api(name, Recorder(), failures)
    deleted = admin_deletes(Recorder(), failures)
    print(f"PAGES {pages} API {calls} DELETED {deleted} FAILED {len(failures)}")
    for failure in failures:
        print(f"  {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the Citus cluster running")
    parser.add_argument("--database", default=DATABASE, help="the scratch database to record on")
    parser.add_argument(
        "--out", help="the report's file (bench/out/citus_audit.txt; with --suite, …_suite_…)"
    )
    parser.add_argument("--browse-only", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--suite",
        action="store_true",
        help="record the test suite's statements instead of the demo's; "
        "further arguments go to pytest (paths, -k …)",
    )
    args, pytest_args = parser.parse_known_args()
    if pytest_args and not args.suite:
        parser.error(f"unrecognized arguments: {' '.join(pytest_args)}")
    if args.browse_only:
        browse_only(args.browse_only)
        return
    if not citus_installed():
        sys.exit("Citus is not installed: run bench/citus_build.sh with the vendored source first")
    server = postgres_url()
    if server is None:
        sys.exit("PostgreSQL: no server found (DATABASE_URL or 127.0.0.1:5432)")
    url = create_database(server.rsplit("/", 1)[0], args.database)
    setup_django(url)  # also before reading the suite's statements: parameters may be models'
    if args.suite:
        print("Recording the test suite on one PostgreSQL ...", flush=True)
        statements = record_suite(url, pytest_args)
    else:
        recorder = Recorder()
        print("Recording on one PostgreSQL ...", flush=True)
        record(recorder)
        statements = list(recorder.statements.values())
    print(f"{len(statements):,} statements to explain", flush=True)
    with running_cluster(args.keep) as cluster:
        print(migrate_and_distribute(cluster.url()), flush=True)
        findings = explain_all(statements, cluster.url())
    drop_database(server.rsplit("/", 1)[0], args.database)
    text = report(findings, len(statements))
    name = "citus_suite_audit.txt" if args.suite else "citus_audit.txt"
    out = Path(args.out or OUT / name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(text.split("\n", 1)[0])
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
