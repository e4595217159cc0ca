"""Run the test suite on SQLite, then on PostgreSQL when one is configured or answers locally.

DATABASE_URL pointing at PostgreSQL is used as given; otherwise a server answering on
127.0.0.1:5432 is used as postgres://postgres@127.0.0.1:5432/test. With TRYGG_REQUIRE_POSTGRES=1
a missing PostgreSQL fails the run instead of being skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return LOCAL_POSTGRES
    except OSError:
        return None


def pytest(database_url: str | None, label: str, args: list[str]) -> int:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    print(f"\n=== Tests on {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", "-q", *args], env=env)


def main(args: list[str]) -> int:
    failures = pytest(None, "SQLite", args)
    url = postgres_url()
    if url is None:
        if os.environ.get("TRYGG_REQUIRE_POSTGRES") == "1":
            print(
                "TRYGG_REQUIRE_POSTGRES=1 but no PostgreSQL: set DATABASE_URL or start a "
                "server on 127.0.0.1:5432.",
                file=sys.stderr,
            )
            return 1
        print("No PostgreSQL found: the PostgreSQL run is skipped.")
        return failures
    failures |= pytest(url, "PostgreSQL", args)
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
