"""The walk in the field: the phone page's first load and sending a walk's findings.

    .venv/bin/python bench/walks_field.py
    .venv/bin/python bench/walks_field.py --findings 200 --photos 50 --database postgres

Budgets (issue 11):
(a) the field page's first load is at most 300 KB transferred, map tiles aside: the page, its
    CSS and JavaScript, Leaflet, the manifest, the walk's data and the service worker with
    what it keeps. Measured as `make run` serves it (runserver with DEBUG on, which does not
    gzip), in headless Chromium behind a forwarder on loopback that counts every byte the
    server sends, the service worker's own downloads included. Baseline: the events list
    (/handelser/) loaded the same way. Each page is loaded in fresh browser contexts (nothing
    cached) several times; the medians are printed, with each file's size and what gzip
    would make of it (for a deployment whose web server compresses).
(b) sending 200 findings with 50 photos (1600×1200 JPEGs of about 250 KB, as the page makes
    them) over loopback to gunicorn (DEBUG off) on a throw-away database takes at most 10 s;
    one client sends one finding after the other, as a phone does. Baseline: 200 plain event
    reports through POST /api/v1/events by the same client against the same server. Then every
    finding is sent again: all must answer 200 and none may be added.

The parent builds the database in a child process (bench/common.py) and starts the servers as
subprocesses on free local ports; the figures are printed, not asserted by tests.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, fresh_postgres, print_result, run_child, setup_django  # noqa: E402
from bench.http_load import (  # noqa: E402
    HOST,
    SECRET_KEY,
    _credentials,
    _wait_until_listening,
    free_port,
    start_server,
    stop_server,
)
from bench.situation import _world  # noqa: E402
from scripts.run_tests import postgres_url  # noqa: E402

BUDGET_FIRST_LOAD_KB = 300
BUDGET_SEND_S = 10.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BASELINE_PAGE = "/handelser/"
STOPS = ((59.3793, 13.5036, "Stora torget"), (59.3810, 13.5080, "Järnvägsgatan"))
ROUTE = {"type": "LineString", "coordinates": [[13.5036, 59.3793], [13.5080, 59.3810]]}
CATEGORIES = ("otrygg_plats.belysning", "skadegorelse.klotter", "otrygg_plats.nedskrapning")
ITEMS = ("lighting", "openness", "visibility", "walk_path", "feeling")
SERVER_LOG = OUT / "walks_field_server.log"


# --- the child: the database, a walk, credentials ---------------------------------------------


def child(args) -> None:
    setup_django(args.database_url)
    organisation, user = _world()
    walk = _walk(organisation)
    print_result({"walk": walk.pk, **_credentials(user)})


def _walk(organisation):
    """A walk in Karlstad's centre with two stops, held with Safetipin's scored checklist."""
    import datetime as dt

    from trygg.places.geo import to_sweref
    from trygg.walks.models import ChecklistTemplate, Walk, WalkStop

    walk = Walk.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        template=ChecklistTemplate.objects.get(municipality=None, code="safetipin"),
        title="Trygghetsvandring i centrum",
        walk_at=dt.datetime(2026, 11, 10, 17, 0, tzinfo=dt.UTC),
        route=ROUTE,
    )
    for order, (lat, lon, name) in enumerate(STOPS, start=1):
        x, y = to_sweref(lon, lat)
        WalkStop.objects.create(walk=walk, order=order, name=name, lat=lat, lon=lon, x=x, y=y)
    return walk


def check_child(args) -> None:
    setup_django(args.database_url)
    from trygg.events.models import Event, Source
    from trygg.walks.models import Finding, FindingPhoto

    print_result(
        {
            "findings": Finding.objects.count(),
            "photos": FindingPhoto.objects.count(),
            "walk_events": Event.objects.filter(source=Source.WALK).count(),
            "partner_events": Event.objects.filter(external_id__startswith="bench-").count(),
        }
    )


# --- (a) the first load, counted on the wire ------------------------------------------------------


class CountingForwarder:
    """A TCP forwarder between the browser and the server that counts the bytes each way."""

    def __init__(self, port: int):
        self.target = (HOST, port)
        self.listener = socket.create_server((HOST, 0))
        self.port = self.listener.getsockname()[1]
        self.down = 0  # server -> browser
        self.up = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.down = self.up = 0

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, upstream, "up"), daemon=True).start()
            threading.Thread(
                target=self._pump, args=(upstream, client, "down"), daemon=True
            ).start()

    def _pump(self, source: socket.socket, sink: socket.socket, way: str) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
                with self.lock:
                    setattr(self, way, getattr(self, way) + len(chunk))
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()


def start_runserver(database_url: str) -> tuple[subprocess.Popen, int]:
    """The server `make run` starts: runserver with DEBUG on (it serves the static files)."""
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "TRYGG_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
    }
    command = [sys.executable, "-m", "django", "runserver", "--noreload", f"{HOST}:{port}"]
    with SERVER_LOG.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    _wait_until_listening(server, port, SERVER_LOG)
    return server, port


def first_loads(port: int, cookie: str, walk_id: int, rounds: int) -> dict:
    """Bytes sent by the server for a first visit to the field page and to the baseline page,
    in fresh browser contexts; the field page counts until its service worker controls it and
    the network is idle (so the worker's own downloads are in)."""
    from playwright.sync_api import sync_playwright

    forwarder = CountingForwarder(port)
    base = f"http://{HOST}:{forwarder.port}"
    name, value = cookie.split("=", 1)
    figures: dict[str, list[int]] = {"field": [], "baseline": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(rounds):
                for kind, path in (
                    ("field", f"/vandringar/{walk_id}/falt/"),
                    ("baseline", BASELINE_PAGE),
                ):
                    context = browser.new_context(viewport={"width": 390, "height": 844})
                    context.add_cookies([{"name": name, "value": value, "url": base}])
                    page = context.new_page()
                    forwarder.reset()
                    page.goto(base + path, wait_until="networkidle")
                    if kind == "field":
                        # Polled with evaluate: wait_for_function evaluates a string in the
                        # page, which the Content-Security-Policy refuses.
                        controlled = "() => navigator.serviceWorker.controller !== null"
                        while not page.evaluate(controlled):
                            page.wait_for_timeout(50)
                        page.wait_for_load_state("networkidle")
                    time.sleep(0.5)  # the last bytes through the forwarder's threads
                    figures[kind].append(forwarder.down)
                    context.close()
            browser.close()
    finally:
        forwarder.close()
    return {kind: statistics.median(values) for kind, values in figures.items()} | {
        "rounds": rounds
    }


def breakdown(port: int, cookie: str, walk_id: int) -> list[dict]:
    """Each file of the field page: bytes as served (body and headers) and gzipped."""
    field = f"/vandringar/{walk_id}/falt/"
    page = _get(port, field, cookie)
    html = page["body"].decode()
    paths = [field]
    paths += re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/[^"]+)"', html)
    paths += [f"{field}data.json", f"{field}sw.js"]
    rows = []
    for path in dict.fromkeys(paths):
        got = page if path == field else _get(port, path, cookie)
        rows.append(
            {
                "path": path,
                "bytes": got["header_bytes"] + len(got["body"]),
                "gzip": got["header_bytes"] + len(gzip.compress(got["body"], 6)),
            }
        )
    return rows


def _get(port: int, path: str, cookie: str) -> dict:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, (path, response.status)
    header_bytes = sum(len(f"{k}: {v}\r\n") for k, v in response.getheaders()) + 17
    connection.close()
    return {"body": body, "header_bytes": header_bytes}


# --- (b) sending the findings -------------------------------------------------------------------


def phone_photo(seed: int) -> bytes:
    """A 1600×1200 JPEG of about 250 KB: a smooth scene with sensor noise, as the page makes."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    height, width = 1200, 1600
    y, x = np.mgrid[0:height, 0:width]
    scene = np.stack(
        [(x / width) * 160 + 40, (y / height) * 120 + 60, ((x + y) / (width + height)) * 100 + 80],
        axis=-1,
    )
    pixels = np.clip(scene + rng.normal(0, 8, scene.shape), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=80)
    return out.getvalue()


@dataclass
class Sender:
    """One client on one kept-alive connection, as a phone sends: one request after another."""

    port: int
    token: str

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, float]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": content_type}
        started = time.perf_counter()
        self.connection.request("POST", path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()


def findings(n: int, n_photos: int) -> list[dict]:
    """The walk's findings; every (n / n_photos)-th has a photo."""
    rng = np.random.default_rng(11)
    every = max(n // max(n_photos, 1), 1)
    items = []
    for number in range(n):
        lat, lon, _name = STOPS[number % len(STOPS)]
        items.append(
            {
                "fields": {
                    "client_id": str(uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | number)),
                    "lat": lat + float(rng.normal(0, 0.0004)),
                    "lon": lon + float(rng.normal(0, 0.0008)),
                    "captured_at": f"2026-11-10T17:{number % 60:02d}:00+00:00",
                    "category": CATEGORIES[number % len(CATEGORIES)],
                    "note": "Trasig belysning och skymd sikt vid gångvägen",
                    "scores": [{"item": ITEMS[number % len(ITEMS)], "score": number % 4}],
                },
                "photo": number % every == 0 and number // every < n_photos,
            }
        )
    return items


def multipart(fields: dict, photo: bytes | None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="finding"\r\n'
        f"Content-Type: application/json\r\n\r\n{json.dumps(fields)}\r\n".encode()
    ]
    if photo is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            'filename="foto-1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + photo
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def send_all(port: int, token: str, walk_id: int, items: list[dict], photos: list[bytes]) -> dict:
    sender = Sender(port, token)
    statuses: dict[int, int] = {}
    times = []
    started = time.perf_counter()
    for index, item in enumerate(items):
        photo = photos[index % len(photos)] if item["photo"] else None
        body, content_type = multipart(item["fields"], photo)
        status, seconds = sender.post(f"/api/v1/walks/{walk_id}/findings", body, content_type)
        statuses[status] = statuses.get(status, 0) + 1
        times.append(seconds)
    total = time.perf_counter() - started
    sender.close()
    return {"seconds": total, "median_ms": 1000 * statistics.median(times), "statuses": statuses}


def send_events(port: int, token: str, n: int) -> dict:
    """The baseline: plain event reports by a partner's system, one after the other."""
    sender = Sender(port, token)
    statuses: dict[int, int] = {}
    times = []
    started = time.perf_counter()
    for number in range(n):
        lat, lon, _name = STOPS[number % len(STOPS)]
        event = {
            "category": CATEGORIES[number % len(CATEGORIES)],
            "occurred_from": f"2026-11-10T17:{number % 60:02d}:00+00:00",
            "lat": lat,
            "lon": lon,
            "description": "Trasig belysning och skymd sikt vid gångvägen",
            "external_id": f"bench-{number}",
        }
        status, seconds = sender.post(
            "/api/v1/events", json.dumps(event).encode(), "application/json"
        )
        statuses[status] = statuses.get(status, 0) + 1
        times.append(seconds)
    total = time.perf_counter() - started
    sender.close()
    return {"seconds": total, "median_ms": 1000 * statistics.median(times), "statuses": statuses}


# --- the parent ---------------------------------------------------------------------------------


def database_url(args, folder: str) -> str | None:
    if args.database == "sqlite":
        return f"sqlite:///{folder}/bench.sqlite3"
    url = postgres_url()
    return None if url is None else fresh_postgres(url, "trygg_bench_walks_field")


def run(args) -> dict | None:
    os.environ.setdefault("TRYGG_SECRET_KEY", SECRET_KEY)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRYGG_DATA_DIR"] = folder  # the photos land here, not in var/
        url = database_url(args, folder)
        if url is None:
            print("PostgreSQL: no server found, skipped")
            return None
        print(f"Building the walk on {args.database} ...", flush=True)
        built = run_child(__file__, ["--database-url", url])
        result: dict = {"database": args.database}
        result["first_load"] = measure_first_load(url, built, args)
        result["send"] = measure_send(url, built, args)
        result["check"] = run_child(__file__, ["--check", "--database-url", url])
    return result


def measure_first_load(url: str, built: dict, args) -> dict:
    server, port = start_runserver(url)
    try:
        files = breakdown(port, built["cookie"], built["walk"])
        if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
            return {"files": files, "browser": None}
        print("First loads in headless Chromium ...", flush=True)
        return {
            "files": files,
            "browser": first_loads(port, built["cookie"], built["walk"], args.rounds),
        }
    finally:
        stop_server(server)


def measure_send(url: str, built: dict, args) -> dict:
    namespace = argparse.Namespace(workers=2, threads=4)
    server, port = start_server(url, namespace, SERVER_LOG)
    try:
        photos = [phone_photo(seed) for seed in range(5)]
        items = findings(args.findings, args.photos)
        # Warm-up: imports and the first connection, on a request that writes nothing.
        Sender(port, built["token"]).post("/api/v1/walks/0/findings", b"{}", "application/json")
        print(f"Sending {args.findings} events (baseline) ...", flush=True)
        baseline = send_events(port, built["token"], args.findings)
        print(f"Sending {args.findings} findings with {args.photos} photos ...", flush=True)
        first = send_all(port, built["token"], built["walk"], items, photos)
        print("Sending them all again ...", flush=True)
        again = send_all(port, built["token"], built["walk"], items, photos)
    finally:
        stop_server(server)
    return {
        "findings": args.findings,
        "photos": args.photos,
        "photo_kb": statistics.median(len(p) for p in photos) / 1024,
        "baseline": baseline,
        "first": first,
        "again": again,
    }


def report(r: dict) -> str:
    lines = [f"Field page and findings ({r['database']})"]
    load = r["first_load"]
    files = load["files"]
    lines.append("  (a) the field page's files as served (body and headers; gzip for reference):")
    for row in files:
        lines.append(
            f"      {row['path']:<48}{row['bytes'] / 1024:>8.1f} KB{row['gzip'] / 1024:>8.1f} KB"
        )
    total = sum(row["bytes"] for row in files) / 1024
    zipped = sum(row["gzip"] for row in files) / 1024
    lines.append(f"      {'each once':<48}{total:>8.1f} KB{zipped:>8.1f} KB")
    browser = load["browser"]
    if browser is None:
        lines.append("      (no Chromium: the first load on the wire was not measured)")
    else:
        field, base = browser["field"] / 1024, browser["baseline"] / 1024
        verdict = "met" if field <= BUDGET_FIRST_LOAD_KB else "NOT met"
        lines.append(
            f"      first visit in Chromium, on the wire (median of {browser['rounds']}): "
            f"{field:.1f} KB, budget {BUDGET_FIRST_LOAD_KB} KB {verdict}; "
            f"baseline {BASELINE_PAGE} {base:.1f} KB ({field / base:.1f}×)"
        )
    send = r["send"]
    b, f, a = send["baseline"], send["first"], send["again"]
    verdict = "met" if f["seconds"] <= BUDGET_SEND_S else "NOT met"
    lines += [
        f"  (b) one client, one request after another, gunicorn on loopback "
        f"(photos {send['photo_kb']:.0f} KB each):",
        f"      baseline: {send['findings']} events  {b['seconds']:6.2f} s, "
        f"median {b['median_ms']:.0f} ms  {b['statuses']}",
        f"      {send['findings']} findings, {send['photos']} photos  {f['seconds']:6.2f} s, "
        f"median {f['median_ms']:.0f} ms  {f['statuses']}  "
        f"({f['seconds'] / b['seconds']:.1f}× baseline; budget {BUDGET_SEND_S:g} s {verdict})",
        f"      all sent again       {a['seconds']:6.2f} s, median {a['median_ms']:.0f} ms  "
        f"{a['statuses']}",
    ]
    check = r["check"]
    added = check["findings"] - send["findings"]
    lines.append(
        f"      stored: {check['findings']} findings, {check['walk_events']} walk events, "
        f"{check['photos']} photos; added by the repeat: {added}"
    )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--findings", type=int, default=200)
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="first loads per page")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if args.child:
        (check_child if args.check else child)(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    result = run(args)
    if result is None:
        return
    (OUT / "walks_field.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
