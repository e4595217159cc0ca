"""The `trygg` command as a newcomer types it: commands that sign nothing run without a secret
key; a missing or bad setting is one line that says what to set, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import trygg
from trygg.cli import signs_nothing

ROOT = Path(trygg.__file__).resolve().parent.parent
RUN_MAIN = "import sys; from trygg.cli import main; sys.exit(main())"


def trygg_command(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`trygg ARGS` in a clean environment: no TRYGG_DEBUG, no TRYGG_SECRET_KEY."""
    clean = {"PATH": os.environ.get("PATH", ""), "TRYGG_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", RUN_MAIN, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_hotspots_help_prints_its_usage_without_a_secret_key(tmp_path):
    result = trygg_command(tmp_path, "hotspots", "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout and "--method" in result.stdout
    assert "Traceback" not in result.stderr


def test_serving_without_a_secret_key_stops_with_one_line_naming_it(tmp_path):
    result = trygg_command(tmp_path, "runserver", "127.0.0.1:8999", "--noreload")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "TRYGG_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("TRYGG_DEBUG", "kanske"), ("DATABASE_URL", "nosuch://db")]
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path, name, value):
    result = trygg_command(tmp_path, "hotspots", "--help", **{name: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"trygg: {name}")


def test_only_help_and_commands_that_sign_nothing_may_run_on_a_throwaway_key():
    assert signs_nothing([]) and signs_nothing(["help"]) and signs_nothing(["runserver", "-h"])
    assert signs_nothing(["hotspots", "in.csv", "--out", "ut.geojson"])
    assert signs_nothing(["import_events", "polisen", "events.json"])
    assert signs_nothing(["create_token", "--user", "samordnare"])
    # Serving signs sessions and CSRF tokens; the worker sends e-mails; the shell could do either.
    assert not signs_nothing(["runserver"])
    assert not signs_nothing(["worker"])
    assert not signs_nothing(["shell"])
