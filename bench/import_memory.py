"""Import memory benchmark: the peak memory and the pace of importing a police feed of 1M and
10M records, streamed in batches, beside the same import with the whole file as one batch
(the way every import ran before decision 0034) measured in the same run.

    .venv/bin/python bench/import_memory.py                          # 1M, both databases
    .venv/bin/python bench/import_memory.py --events 10000000 --databases postgres --no-whole

Each import runs in a child process on a fresh database (SQLite in a temporary folder,
PostgreSQL as `trygg_bench_memory`), through `trygg import`'s own path (`import_file`). Memory
is measured for the process tree, not by tracemalloc: the importing process's own peak
(`ru_maxrss`), its preparing children's largest peak, and the whole tree's proportional set
size (PSS: shared pages counted once) sampled every 0.2 s from /proc. The large feed is
written streaming and removed afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, RESULT, fresh_postgres, print_result, setup_django  # noqa: E402
from bench.import_events import write_police_feed  # noqa: E402
from scripts.run_tests import postgres_url  # noqa: E402

# --- the child: one import -------------------------------------------------------------------


def child(args) -> None:
    import resource

    if args.whole:
        os.environ["TRYGG_IMPORT_BATCH_RECORDS"] = str(10**12)
    setup_django(args.database_url)
    from django.db import transaction

    from trygg.events.importers.files import ImportRequest, import_file

    started = time.perf_counter()
    shown = [0]

    def progress(stage: str, done: int, total: int) -> None:
        if done - shown[0] >= 1_000_000:  # a long run says how far it has come, on stderr
            shown[0] = done
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            seconds = time.perf_counter() - started
            print(
                f"    {done:,} records read in {seconds:.0f} s, own peak {own / 1024:,.0f} MiB",
                file=sys.stderr,
                flush=True,
            )

    with transaction.atomic():
        report = import_file(ImportRequest(format="polisen", path=args.police), progress)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print_result(
        {
            "records": report.records,
            "created": report.created,
            "seconds": seconds,
            "own_peak_kib": own,
            "child_peak_kib": children,
        }
    )


# --- the parent: files, databases, sampling, the table -------------------------------------


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(p) for p in handle.read().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(arguments: list[str]) -> dict:
    """Run this script's child, sampling its process tree's PSS; its result with the peak."""
    command = [sys.executable, __file__, "--child", *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        told = time.monotonic()
        while not done.is_set():
            peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
            if time.monotonic() - told > 60:
                told = time.monotonic()
                line = f"    tree PSS peak so far {peak / 1024:,.0f} MiB"
                print(line, file=sys.stderr, flush=True)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"the child failed with exit code {process.returncode}")
    line = next(line for line in output.splitlines() if line.startswith(RESULT))
    result = json.loads(line[len(RESULT) :])
    result["tree_pss_kib"] = peak
    return result


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f}"


def report(label: str, rows: list[tuple[str, dict]]) -> str:
    lines = [
        label,
        f"  {'path':<32} {'records':>11} {'seconds':>8} {'events/s':>9} "
        f"{'own MiB':>8} {'child MiB':>9} {'tree PSS MiB':>12}",
    ]
    for title, row in rows:
        rate = row["records"] / row["seconds"]
        lines.append(
            f"  {title:<32} {row['records']:>11,} {row['seconds']:>8.1f} {rate:>9,.0f} "
            f"{_mib(row['own_peak_kib']):>8} {_mib(row['child_peak_kib']):>9} "
            f"{_mib(row['tree_pss_kib']):>12}"
        )
    baseline = dict(rows).get("whole file as one batch")
    streamed = dict(rows).get("streamed in batches")
    if baseline and streamed:
        memory = streamed["tree_pss_kib"] / baseline["tree_pss_kib"]
        pace = (streamed["records"] / streamed["seconds"]) / (
            baseline["records"] / baseline["seconds"]
        )
        lines.append(f"  streamed / whole: memory (tree PSS) {memory:.2f}×, pace {pace:.2f}×")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-whole", action="store_true", help="skip the whole-file baseline")
    parser.add_argument("--keep", action="store_true", help="keep the generated feed")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--police", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    police = OUT / f"police_{args.events}.json.gz"
    if not police.exists():
        started = time.perf_counter()
        write_police_feed(police, args.events)
        print(
            f"wrote {police.name} ({police.stat().st_size / 2**20:,.0f} MiB) "
            f"in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
    print(f"Import memory benchmark: {args.events:,} police records", flush=True)
    texts = []
    try:
        for database in args.databases.split(","):
            rows = []
            for title, whole in (("whole file as one batch", True), ("streamed in batches", False)):
                if whole and args.no_whole:
                    continue
                with tempfile.TemporaryDirectory() as folder:
                    if database == "sqlite":
                        url = f"sqlite:///{folder}/bench.sqlite3"
                    else:
                        server = postgres_url()
                        if server is None:
                            print("PostgreSQL: no server found, skipped")
                            break
                        url = fresh_postgres(server, "trygg_bench_memory")
                    arguments = ["--database-url", url, "--police", str(police)]
                    rows.append(
                        (title, run_measured([*arguments, *(["--whole"] if whole else [])]))
                    )
                print(f"  {database}: {title} done", flush=True)
            if rows:
                label = (
                    f"{'SQLite' if database == 'sqlite' else 'PostgreSQL'}, {args.events:,} records"
                )
                texts.append(report(label, rows))
                print(texts[-1], flush=True)
    finally:
        if not args.keep and args.events > 1_000_000:
            police.unlink(missing_ok=True)
    (OUT / f"import_memory_{args.events}.txt").write_text(
        "\n\n".join(texts) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
