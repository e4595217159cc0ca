"""The residents' report page's first load, counted on the wire.

    .venv/bin/python bench/citizens_report_page.py
    .venv/bin/python bench/citizens_report_page.py --rounds 5 --reports 500

Budget (issue 12): the public report page /rapportera/ loads in at most 300 KB transferred,
map tiles aside: the page, its CSS and JavaScript, Leaflet, and the municipality's outline and
districts that the map draws as its own base layer. Measured as `bench/walks_field.py` (a)
measures the field page: `make run`'s server (runserver with DEBUG on, which does not gzip)
on a throw-away database with Karlstad's real boundaries and districts, headless Chromium in
a fresh context per load (nothing cached), behind a forwarder on loopback that counts every
byte the server sends until the network is idle. The medians of several rounds are printed
with each file's size and what gzip would make of it.

Also measured in the same run: the public map and list of reports (/oppen/rapporter/, with
`--reports` published reports, a tenth with an approved photo), and the baseline, the login
page (/konto/logga-in/): the same base template, CSS and script with no map at all.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    OUT,
    karlstad_organisation,
    print_result,
    run_child,
    setup_django,
)
from bench.http_load import (  # noqa: E402
    HOST,
    SECRET_KEY,
    _wait_until_listening,
    free_port,
    stop_server,
)
from bench.walks_field import CHROMIUM, CHROMIUM_ARGS, CountingForwarder, _get  # noqa: E402

BUDGET_FIRST_LOAD_KB = 300
PAGES = {
    "report": "/rapportera/",
    "public": "/oppen/rapporter/",
    "baseline": "/konto/logga-in/",
}
SERVER_LOG = OUT / "citizens_report_page_server.log"
# The page's settings for its script (json_script), where the map's data addresses are.
CONFIG_SCRIPT = r'<script id="[\w-]+-config" type="application/json">(.*?)</script>'


# --- the child: Karlstad takes reports, some published -----------------------------------------


def child(args) -> None:
    setup_django(args.database_url)
    from trygg.organisations.models import Membership, Organisation
    from trygg.organisations.tests.factories import make_person

    organisation = karlstad_organisation(
        "karlstad-kommun", "Karlstads kommun", Organisation.Kind.MUNICIPAL_DEPARTMENT
    )
    # A coordinator is what makes a municipality take residents' reports.
    coordinator = make_person("samordnare", organisation, Membership.Role.COORDINATOR)
    print_result({"published": _published_reports(coordinator, args.reports)})


def _published_reports(coordinator, n: int) -> int:
    """`n` reports around Karlstad's centre through the resident's own action, published, and
    every tenth with a photo a moderator approved."""
    import numpy as np
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from trygg.citizens.actions import moderation
    from trygg.citizens.actions.reports import ReportInput, submit_report
    from trygg.citizens.categories import RESIDENT_CATEGORIES

    rng = np.random.default_rng(12)
    for number in range(n):
        photos = []
        if number % 10 == 0:
            buffer = io.BytesIO()
            Image.new("RGB", (640, 480), (90, 120 + number % 100, 140)).save(buffer, "JPEG")
            photos = [SimpleUploadedFile("foto.jpg", buffer.getvalue(), "image/jpeg")]
        data = ReportInput(
            lat=59.3793 + float(rng.normal(0, 0.006)),
            lon=13.5036 + float(rng.normal(0, 0.012)),
            category_code=RESIDENT_CATEGORIES[number % len(RESIDENT_CATEGORIES)].code,
            description="Lampan vid gångvägen är släckt sedan en vecka",
            photos=photos,
        )
        report, _token = submit_report(data)
        moderation.publish(report, acting_user=coordinator)
        for photo in report.photos.all():
            moderation.review_photo(photo, approve=True, acting_user=coordinator)
    return n


# --- the server and the browser -------------------------------------------------------------------


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


def first_loads(port: int, rounds: int) -> dict:
    """Bytes the server sent for a first visit to each page, in fresh browser contexts (a
    phone's viewport), until the network is idle: the map's outline and data are in."""
    from playwright.sync_api import sync_playwright

    forwarder = CountingForwarder(port)
    base = f"http://{HOST}:{forwarder.port}"
    figures: dict[str, list[int]] = {kind: [] for kind in PAGES}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(rounds):
                for kind, path in PAGES.items():
                    context = browser.new_context(viewport={"width": 390, "height": 844})
                    page = context.new_page()
                    forwarder.reset()
                    page.goto(base + path, wait_until="networkidle")
                    time.sleep(0.5)  # the last bytes through the forwarder's threads
                    figures[kind].append(forwarder.down)
                    context.close()
            browser.close()
    finally:
        forwarder.close()
    return {kind: statistics.median(values) for kind, values in figures.items()} | {
        "rounds": rounds
    }


def breakdown(port: int, path: str) -> list[dict]:
    """Each file a page names, and the map data its script asks for: bytes as served (body and
    headers) and gzipped."""
    import gzip

    page = _get(port, path, "")
    html = page["body"].decode()
    paths = [path]
    paths += re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/[^"]+)"', html)
    for config in re.findall(CONFIG_SCRIPT, html):
        data = json.loads(config)
        paths += [data[key] for key in ("boundariesUrl", "dataUrl") if data.get(key)]
    rows = []
    for item in dict.fromkeys(paths):
        got = page if item == path else _get(port, item, "")
        rows.append(
            {
                "path": item,
                "bytes": got["header_bytes"] + len(got["body"]),
                "gzip": got["header_bytes"] + len(gzip.compress(got["body"], 6)),
            }
        )
    return rows


# --- the parent ---------------------------------------------------------------------------------


def run(args) -> dict:
    os.environ.setdefault("TRYGG_SECRET_KEY", SECRET_KEY)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRYGG_DATA_DIR"] = folder  # the photos land here, not in var/
        url = f"sqlite:///{folder}/bench.sqlite3"
        print(f"Building Karlstad with {args.reports} published reports ...", flush=True)
        built = run_child(__file__, ["--database-url", url, "--reports", str(args.reports)])
        server, port = start_runserver(url)
        try:
            files = {kind: breakdown(port, path) for kind, path in PAGES.items()}
            browser = None
            if Path(CHROMIUM).exists() and shutil.which("chromium") is not None:
                print("First loads in headless Chromium ...", flush=True)
                browser = first_loads(port, args.rounds)
        finally:
            stop_server(server)
    return {"published": built["published"], "files": files, "browser": browser}


def report(r: dict) -> str:
    lines = [f"The residents' report page's first load ({r['published']} published reports)"]
    for kind, path in PAGES.items():
        rows = r["files"][kind]
        lines.append(f"  {path} – its files as served (body and headers; gzip for reference):")
        for row in rows:
            lines.append(
                f"      {row['path'][:60]:<60}{row['bytes'] / 1024:>8.1f} KB"
                f"{row['gzip'] / 1024:>8.1f} KB"
            )
        total = sum(row["bytes"] for row in rows) / 1024
        zipped = sum(row["gzip"] for row in rows) / 1024
        lines.append(f"      {'each once':<60}{total:>8.1f} KB{zipped:>8.1f} KB")
    browser = r["browser"]
    if browser is None:
        lines.append("  (no Chromium: the first loads on the wire were not measured)")
        return "\n".join(lines)
    base = browser["baseline"] / 1024
    lines.append(f"  first visits in Chromium, on the wire (median of {browser['rounds']}):")
    for kind, path in PAGES.items():
        kb = browser[kind] / 1024
        verdict = ""
        if kind == "report":
            met = "met" if kb <= BUDGET_FIRST_LOAD_KB else "NOT met"
            verdict = f"  budget {BUDGET_FIRST_LOAD_KB} KB {met}"
        lines.append(f"      {path:<22}{kb:>8.1f} KB  ({kb / base:.1f}× baseline){verdict}")
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=200, help="published reports")
    parser.add_argument("--rounds", type=int, default=3, help="first loads per page")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if args.child:
        child(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    result = run(args)
    path = OUT / "citizens_report_page.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
