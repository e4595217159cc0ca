"""HTTP load benchmark: 100 concurrent clients on the reporting API and the situation page,
served by gunicorn against a database of 200,000 events (the situation benchmark's data).

    .venv/bin/python bench/http_load.py                          # 200k events, PostgreSQL
    .venv/bin/python bench/http_load.py --events 1000000 --think 1
    .venv/bin/python bench/http_load.py --events 20000 --database sqlite --duration 10
    .venv/bin/python bench/http_load.py --national    # after bench/national.py: 10M events

With `--national` the clients speak for 40 municipalities drawn at random (a coordinator's
session and token in each, each report near a point inside its municipality) against the
national data set as `bench/national.py` left it (issue 16 point 5: 100 concurrent clients
across municipalities, p99 < 200 ms and no errors).

Budget (DESIGN §8): p99 < 200 ms and no errors with 100 concurrent clients. The load is a
closed loop: each client sends one request, waits for the whole answer, thinks (uniformly
0.5–1.5 × the mean think time), and sends the next, for a fixed time. Half the clients POST
one event each to /api/v1/events with a bearer token; the other half GET /lagesbild/ for one
week and the whole municipality, logged in by a session cookie. Every request opens its own
connection (Connection: close). Each think time given (default 1 s, then 5 s) is one level of
load on the same server. The baseline, measured in the same run against the same server, is
one client alone on each endpoint without think time: the uncontended latency the loaded
figures are a multiple of. After the load, the daily rollup is compared with a count of the
events, since every report recounts its day while others do the same.

The parent builds the database in a child process (bench/common.py), starts gunicorn on it
as a subprocess on a free local port, and drives the load itself with asyncio, so the load
generator shares the machine's cores with the server (its CPU time is reported).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, fresh_postgres, print_result, run_child, setup_django  # noqa: E402
from bench.import_events import DESCRIPTIONS  # noqa: E402
from bench.national import DATABASE as NATIONAL_DATABASE  # noqa: E402
from bench.situation import CATEGORIES, WEEK, _load, _world  # noqa: E402
from scripts.run_tests import postgres_url  # noqa: E402  (the same server the tests use)

HOST = "127.0.0.1"
SEED = 2026
NATIONAL_ACCOUNTS = 40  # municipalities the clients speak for with --national
PAGE = f"/lagesbild/?typ=week&vecka={WEEK}"
API = "/api/v1/events"
BUDGET_P99_MS = 200
REQUEST_TIMEOUT = 30.0  # seconds; a request slower than this counts as an error
# The child and the server must sign and check the session with the same key.
SECRET_KEY = "bench-only"  # noqa: S105 -- a throwaway server on 127.0.0.1 for one run
EXPECTED = {"page": 200, "post": 201}
SERVER_LOG = OUT / "http_load_server.log"
WARM_UP_ROUNDS = 4


# --- the child: build the database, hand back credentials ----------------------------------


def child(args) -> None:
    setup_django(args.database_url)
    organisation, user = _world()
    started = time.perf_counter()
    _load(organisation, args.events)
    load_seconds = time.perf_counter() - started
    _analyze()
    account = _credentials(user) | {"lat": 59.385, "lon": 13.51, "spread": 0.05}
    print_result({"events": args.events, "load_seconds": load_seconds, "accounts": [account]})


def national_child(args) -> None:
    """On the database `bench/national.py` built: a coordinator in each of NATIONAL_ACCOUNTS
    municipalities drawn at random, each with a token, a session and a point inside the
    municipality to report near."""
    setup_django(args.database_url)
    from django.contrib.auth import get_user_model
    from shapely.geometry import shape

    from bench.national import _organisation
    from trygg.organisations.models import Membership
    from trygg.places.models import Municipality

    rng = np.random.default_rng(SEED)
    municipalities = list(Municipality.objects.exclude(geometry=None).order_by("code"))
    chosen = rng.choice(len(municipalities), NATIONAL_ACCOUNTS, replace=False)
    accounts = []
    for index in sorted(chosen):
        municipality = municipalities[index]
        user, _ = get_user_model().objects.get_or_create(username=f"load-{municipality.code}")
        Membership.objects.get_or_create(
            user=user, organisation=_organisation(municipality), defaults={"role": "coordinator"}
        )
        point = shape(municipality.geometry).representative_point()
        accounts.append(_credentials(user) | {"lat": point.y, "lon": point.x, "spread": 0.002})
    _analyze()
    from trygg.events.models import Event

    total = Event.objects.count()
    print_result({"events": total, "load_seconds": 0.0, "accounts": accounts})


def _analyze() -> None:
    """Fresh statistics, so autovacuum's analyze of the new tables does not land in the load
    run and the planner sees the real table sizes from the first request."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _credentials(user) -> dict:
    """A bearer token (as `trygg create-token` makes it) and a logged-in session, the same
    session `login()` would store, made without a request."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from trygg.organisations.actions import create_token

    _token, secret = create_token(user, name="http-load benchmark")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that knows users (the first is django-axes' lockout check, which has none).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"token": secret, "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def check_child(args) -> None:
    """After the load: the daily rollup of the days the clients reported in must still equal
    a count of the events (each report recounts its day, concurrently with the others)."""
    setup_django(args.database_url)
    from django.db.models import Sum

    from trygg.core.periods import midnight
    from trygg.events.daily_counts import counted
    from trygg.events.models import DailyCount, Event

    first = dt.date.fromisoformat(args.check_from)
    rollup = DailyCount.objects.filter(day__gte=first).aggregate(n=Sum("events", default=0))
    events = counted(Event.objects.filter(municipality__isnull=False))
    print_result(
        {
            "rollup": rollup["n"],
            "events": events.filter(occurred_from__gte=midnight(first)).count(),
            "reported": Event.objects.filter(external_id__startswith="http-").count(),
        }
    )


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(database_url: str, args, log: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn with threaded workers, in production settings (DEBUG off: with it on, Django
    keeps every query of a request in memory)."""
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "TRYGG_DEBUG": "0",
        # Plain http on loopback: production's redirect to HTTPS would answer every request.
        "TRYGG_HTTPS": "0",
        "TRYGG_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "trygg.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    _wait_until_listening(server, port, log)
    return server, port


def _wait_until_listening(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn did not start listening within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- CPU accounting (Linux /proc; None elsewhere) ------------------------------------------


@dataclass
class CpuMeter:
    """CPU seconds used by the server (gunicorn's master and workers), by the PostgreSQL
    backends serving the benchmark database, and by the whole machine: to tell a server that
    is busy from one that waits, and our load from other tenants' on a shared machine."""

    server_pid: int
    database_url: str | None  # PostgreSQL's; None for SQLite (inside the server's processes)

    def read(self) -> dict | None:
        try:
            stat = Path("/proc/stat").read_text().split("\n")[0].split()[1:]
        except OSError:
            return None
        fields = [int(x) / os.sysconf("SC_CLK_TCK") for x in stat]
        server = _cpu_of([self.server_pid, *_children(self.server_pid)])
        return {
            "server": sum(server.values()),
            "database": _cpu_of(_backends(self.database_url)) if self.database_url else None,
            "busy": sum(fields) - fields[3] - fields[4],  # all but idle and iowait
            "total": sum(fields),
        }


def _children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and _stat_fields(int(entry.name))[1] == str(parent):
                pids.append(int(entry.name))
        except OSError:
            continue  # a process that ended while we looked
    return pids


def _backends(url: str) -> list[int]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]


def _stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat after the command name (which may hold spaces): state, ppid, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_of(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds of each process still there."""
    seconds = {}
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def cpu_use(before: dict | None, after: dict | None, requests: int) -> dict:
    """Per request and in cores. A backend that ended during the phase (Django reconnects
    after TRYGG_DB_CONN_MAX_AGE) takes its CPU with it: the database figure is a lower bound."""
    if before is None or after is None:
        return {}
    total = after["total"] - before["total"]
    wall = total / (os.cpu_count() or 1)
    server = after["server"] - before["server"]
    database = sum(
        seconds - before["database"].get(pid, 0.0)
        for pid, seconds in (after["database"] or {}).items()
    )
    n = max(requests, 1)
    return {
        "server_cpu_ms_per_request": 1000 * server / n,
        # SQLite runs inside the server's processes: its CPU is in the server's figure.
        **(
            {"database_cpu_ms_per_request": 1000 * database / n}
            if after["database"] is not None
            else {}
        ),
        "server_and_database_cores": (server + database) / wall,
        "machine_busy_percent": 100 * (after["busy"] - before["busy"]) / total,
    }


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Requests:
    """How to ask for each endpoint: the page's fixed request, a new event per POST. Each
    request speaks for one of the accounts, chosen at random (one municipality each with
    `--national`), and reports a position near that account's municipality."""

    port: int
    accounts: list[dict]  # token, cookie, lat, lon, spread (degrees)
    # Every report its own external_id (a repeated one would answer 200, not 201). Short
    # numbers: a long run of digits would be refused as a possible phone number.
    ids: itertools.count = field(default_factory=itertools.count)
    # Letters that tell this run's reports from an earlier run's on a database kept between
    # runs (--national); letters, since a long run of digits reads as a phone number.
    run: str = field(
        default_factory=lambda: "".join(random.choices("abcdefghjkmnpqrstuvwxyz", k=5))
    )

    def page(self, rng: random.Random) -> bytes:
        account = rng.choice(self.accounts)
        return self._raw("GET", PAGE, [f"Cookie: {account['cookie']}"])

    def post(self, rng: random.Random) -> bytes:
        # A partner's system reporting what happened in the last day, with its own id.
        account = rng.choice(self.accounts)
        occurred = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=rng.uniform(600, 86400))
        spread = account["spread"]
        event = {
            "category": rng.choice(CATEGORIES),
            "occurred_from": occurred.isoformat(timespec="seconds"),
            "lat": account["lat"] + rng.uniform(-spread, spread) / 2,
            "lon": account["lon"] + rng.uniform(-spread, spread),
            "description": rng.choice(DESCRIPTIONS),
            "external_id": f"http-{self.run}-{next(self.ids)}",
        }
        body = json.dumps(event).encode()
        headers = [
            f"Authorization: Bearer {account['token']}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        ]
        return self._raw("POST", API, headers) + body

    def _raw(self, method: str, path: str, headers: list[str]) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {HOST}:{self.port}",
            *headers,
            "Connection: close",
            "",
            "",
        ]
        return "\r\n".join(lines).encode()


@dataclass
class Tally:
    """One endpoint's answers: latencies of the expected ones, every other outcome by name."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def exchange(port: int, request: bytes) -> tuple[int, bytes]:
    """Send one request on a new connection; the status and the body (read to the close)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(request)
        await writer.drain()
        answer = await reader.read()
    finally:
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


async def one_request(port: int, request: bytes, kind: str, tally: Tally) -> None:
    """Time one request; anything but the endpoint's expected status is an error (a 302 from
    the page would be the login redirect, not the page)."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            status, _body = await exchange(port, request)
    except TimeoutError:
        tally.error("timeout")
        return
    except (OSError, ValueError, IndexError) as exc:
        tally.error(type(exc).__name__)
        return
    if status != EXPECTED[kind]:
        tally.error(f"HTTP {status}")
        return
    tally.latencies.append((time.perf_counter() - started) * 1000)


async def client(
    requests: Requests, kind: str, seed: int, deadline: float, think: float, tally: Tally
) -> None:
    """Request, think, repeat until the deadline. Think times are spread ±50 % around the
    mean so the clients do not march in step."""
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, think))  # staggered start, for the same reason
    while time.perf_counter() < deadline:
        await one_request(requests.port, getattr(requests, kind)(rng), kind, tally)
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def run_load(
    requests: Requests, meter: CpuMeter, kinds: list[str], duration: float, think: float
) -> dict:
    tallies = {kind: Tally() for kind in set(kinds)}
    cpu_before, own_cpu = meter.read(), time.process_time()
    started = time.perf_counter()
    await asyncio.gather(
        *(
            client(requests, kind, seed, started + duration, think, tallies[kind])
            for seed, kind in enumerate(kinds)
        )
    )
    elapsed = time.perf_counter() - started
    result = {kind: summary(tally, elapsed) for kind, tally in tallies.items()}
    total = sum(r["requests"] for r in result.values())
    result["all"] = {
        "think_s": think,
        "requests": total,
        "requests_per_s": total / elapsed,
        "seconds": elapsed,
        "load_generator_cpu_s": time.process_time() - own_cpu,
        **cpu_use(cpu_before, meter.read(), total),
    }
    return result


def summary(tally: Tally, elapsed: float) -> dict:
    times = np.array(tally.latencies or [np.nan])
    p50, p95, p99 = np.percentile(times, [50, 95, 99])
    return {
        "requests": len(tally.latencies) + sum(tally.errors.values()),
        "ok": len(tally.latencies),
        "errors": dict(tally.errors),
        "requests_per_s": (len(tally.latencies) + sum(tally.errors.values())) / elapsed,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "max_ms": float(np.max(times)),
    }


async def warm_up(requests: Requests, concurrency: int) -> None:
    """Every worker imports the page's modules (statsmodels takes a second), compiles the
    templates and opens its threads' connections before timing: rounds of as many requests at
    once as the server has threads, since which worker accepts a connection is up to them. A
    wrong token or session stops the run here instead of being measured."""
    rng = random.Random(0)
    for _ in range(WARM_UP_ROUNDS):
        kinds = [kind for kind in EXPECTED for _ in range(concurrency)]
        answers = await asyncio.gather(
            *(exchange(requests.port, getattr(requests, kind)(rng)) for kind in kinds)
        )
        for kind, (status, body) in zip(kinds, answers, strict=True):
            if status != EXPECTED[kind]:
                text = body[:2000].decode(errors="replace")
                sys.exit(f"warm-up {kind}: HTTP {status}\n{text}\n(see {SERVER_LOG})")


async def measure(requests: Requests, meter: CpuMeter, args) -> dict:
    await warm_up(requests, args.workers * args.threads)
    baseline = {}
    for kind in EXPECTED:  # one client alone, no think time: the uncontended latency
        alone = await run_load(requests, meter, [kind], args.baseline_duration, 0.0)
        baseline[kind] = alone[kind] | {"cpu": alone["all"]}
    kinds = ["page"] * args.page_clients + ["post"] * (args.clients - args.page_clients)
    levels = []
    for think in args.think:  # one level of load per think time, each on the same server
        print(f"  {args.clients} clients, think {think:g} s ...", flush=True)
        levels.append(await run_load(requests, meter, kinds, args.duration, think))
    return {"baseline": baseline, "levels": levels}


# --- the parent ------------------------------------------------------------------------------


def database_url(args, folder: str) -> str | None:
    if args.national_url:  # the same data elsewhere (bench/citus.py: on the coordinator)
        return args.national_url
    if args.national:  # the database bench/national.py built, as it is
        url = postgres_url()
        return None if url is None else url.rsplit("/", 1)[0] + f"/{args.national_database}"
    if args.database == "sqlite":
        return f"sqlite:///{folder}/bench.sqlite3"
    url = postgres_url()
    return None if url is None else fresh_postgres(url, "trygg_bench_http")


def run(args) -> dict | None:
    os.environ.setdefault("TRYGG_SECRET_KEY", SECRET_KEY)
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(args, folder)
        if url is None:
            print("PostgreSQL: no server found, skipped")
            return None
        what = "accounts on the national data set" if args.national else f"{args.events:,} events"
        print(f"Building {what} ...", flush=True)
        mode = ["--national-child"] if args.national else ["--events", str(args.events)]
        built = run_child(__file__, ["--database-url", url, *mode])
        requests = Requests(0, built["accounts"])
        load_from = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)
        server, requests.port = start_server(url, args, SERVER_LOG)
        postgres = url if args.database == "postgres" else None
        try:
            print(f"gunicorn on port {requests.port}; measuring ...", flush=True)
            figures = asyncio.run(measure(requests, CpuMeter(server.pid, postgres), args))
        finally:
            stop_server(server)
        check = run_child(
            __file__, ["--check", "--database-url", url, "--check-from", load_from.isoformat()]
        )
    return {
        "database": "postgres, national" if args.national else args.database,
        "events": built.get("events", args.events),
        "load_seconds": built["load_seconds"],
        "model": load_model(args),
        **figures,
        "rollup_check": check,
    }


def load_model(args) -> dict:
    return {
        "clients": args.clients,
        "page_clients": args.page_clients,
        "post_clients": args.clients - args.page_clients,
        "think_s": args.think,
        "think_spread": "uniform, mean ±50 %",
        "duration_s": args.duration,
        "baseline_duration_s": args.baseline_duration,
        "workers": args.workers,
        "threads": args.threads,
        "cpus": os.cpu_count(),
        "page": PAGE,
        "api": API,
    }


def report(r: dict) -> str:
    m = r["model"]
    lines = [
        f"{r['database']}: {r['events']:,} events (built in {r['load_seconds']:.0f} s); "
        f"gunicorn {m['workers']} workers × {m['threads']} threads on {m['cpus']} CPUs",
        f"  load: {m['clients']} clients ({m['page_clients']} GET the page, "
        f"{m['post_clients']} POST events), closed loop, {m['duration_s']:g} s per level, "
        f"think time {m['think_spread']}; baseline: 1 client, no think time",
    ]
    for kind, title in (("page", "GET /lagesbild/ (one week)"), ("post", "POST /api/v1/events")):
        lines += _latency_table(r, kind, title)
    lines.append(
        "  throughput and CPU (gunicorn: master and workers; postgres: the backends "
        "serving the benchmark database)"
    )
    for kind in EXPECTED:
        lines.append(f"    {kind} alone: " + _cpu(r["baseline"][kind]["cpu"]))
    for level in r["levels"]:
        a = level["all"]
        lines.append(
            f"    think {a['think_s']:g} s: {a['requests_per_s']:.1f} requests/s; "
            + _cpu(a)
            + f"; load generator {a['load_generator_cpu_s']:.1f} s CPU"
        )
    check = r["rollup_check"]
    lines.append(
        f"  daily rollup after the load: {check['rollup']:,} counted vs {check['events']:,} "
        f"events since the load's first day ({check['reported']:,} reported): "
        + ("equal" if check["rollup"] == check["events"] else "DIFFERENT")
    )
    return "\n".join(lines)


def _latency_table(r: dict, kind: str, title: str) -> list[str]:
    clients, alone = r["model"]["clients"], r["baseline"][kind]
    lines = [
        f"  {title}",
        f"    {'':22}{'n':>6}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8} ms  errors",
    ]
    lines.append(f"    {'1 client':<22}" + _row(alone))
    for level in (level for level in r["levels"] if kind in level):
        row, verdict = level[kind], "met" if _meets(level[kind]) else "NOT met"
        label = f"{clients} clients, think {level['all']['think_s']:g} s"
        lines.append(
            f"    {label:<22}" + _row(row) + f"   p99 {_ratio(row, alone)} "
            f"uncontended; budget {verdict}"
        )
    return lines


def _cpu(use: dict) -> str:
    if "server_and_database_cores" not in use:
        return "(no /proc: CPU not measured)"
    cores, busy = use["server_and_database_cores"], use["machine_busy_percent"]
    per_request = f"gunicorn {use['server_cpu_ms_per_request']:.0f} ms"
    if "database_cpu_ms_per_request" in use:
        per_request += f" + postgres ≥ {use['database_cpu_ms_per_request']:.0f} ms"
    per_request += " CPU per request"
    return f"{per_request}, {cores:.2f} cores in all; machine {busy:.0f} % busy"


def _ratio(row: dict, alone: dict) -> str:
    return f"{row['p99_ms'] / alone['p99_ms']:.1f}×"


def _row(row: dict) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in row["errors"].items()) or "none"
    times = "".join(f"{row[key]:>8.0f}" for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
    return f"{row['requests']:>6}{row['requests_per_s']:>8.1f}{times}  {errors}"


def _meets(row: dict) -> bool:
    return row["p99_ms"] < BUDGET_P99_MS and not row["errors"]


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--page-clients", type=int, default=50)
    parser.add_argument(
        "--think",
        type=_floats,
        default=[1.0, 5.0],
        help="mean think time in seconds; several (1,5) measure one level of load each",
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--baseline-duration", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--national",
        action="store_true",
        help="clients across 40 municipalities on the database bench/national.py built",
    )
    parser.add_argument("--national-database", default=NATIONAL_DATABASE, help=argparse.SUPPRESS)
    parser.add_argument("--national-url", help=argparse.SUPPRESS)
    parser.add_argument("--out-name", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--national-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check-from", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if args.national_child:
        national_child(args)
        return
    if args.child:
        (check_child if args.check else child)(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)  # also for the server's log
    result = run(args)
    if result is None:
        return
    name = args.out_name or ("http_load_national" if args.national else "http_load")
    (OUT / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
