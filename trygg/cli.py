"""The `trygg` console command: the management commands users need, with friendly names.

trygg import polisen events.json.gz
trygg import csv rapporter.csv --organisation kbab
trygg create-token --user samordnare
trygg load-demo --if-empty
trygg worker
trygg send-reminders
trygg hotspots punkter.csv --cell 100 --method gi --out celler.geojson
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_events"}


def command_name(word: str) -> str:
    return ALIASES.get(word, word.replace("-", "_"))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = command_name(argv[1])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
