"""The `trygg` console command: the management commands users need, with friendly names.

trygg import polisen events.json.gz
trygg import csv rapporter.csv --organisation kbab
trygg import survey svar.csv --survey 3 --user analytiker
trygg create-token --user samordnare
trygg load-demo --if-empty
trygg county-setup 17
trygg worker
trygg send-reminders
trygg hotspots punkter.csv --cell 100 --method gi --out celler.geojson
trygg backup /srv/backup/trygg-2026-11-22
trygg restore /srv/backup/trygg-2026-11-22

A setting that is missing or cannot be used is said in one line (exit code 2), not a traceback.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_events"}
# `trygg import survey …` and `trygg import survey-population …` belong to the surveys app; the
# word after "import" picks the command, so users have one verb for every file they bring.
IMPORT_COMMANDS = {"survey": "import_survey", "survey-population": "import_survey"}

# Commands that sign nothing (no session, CSRF token or signed link) and send no e-mail: they
# run without TRYGG_SECRET_KEY, on a random key for this process only. Serving, the worker and
# everything not named here still need the real key.
SIGNS_NOTHING = {
    "import_events",
    "import_survey",
    "hotspots",
    "load_demo",
    "county_setup",
    "migrate",
    "showmigrations",
    "create_token",  # tokens are stored as SHA-256 hashes, not signed with the key
    "createsuperuser",
    "changepassword",
    "collectstatic",
    "compilemessages",
    "backup",
    "restore",
}
HELP = {"help", "--help", "-h", "version", "--version"}

# What the settings module raises when the environment holds no usable value.
BAD_SETTING_EXIT = 2


def command_name(word: str) -> str:
    return ALIASES.get(word, word.replace("-", "_"))


def with_command_names(argv: list[str]) -> list[str]:
    """`argv` with the user's words for a command replaced by the management command's name."""
    argv = list(argv)
    if len(argv) > 2 and argv[1] == "import" and argv[2] in IMPORT_COMMANDS:
        argv[1] = IMPORT_COMMANDS[argv[2]]  # the command takes "survey" as its first argument
    elif len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = command_name(argv[1])
    return argv


def signs_nothing(args: list[str]) -> bool:
    """Whether `trygg ARGS` can run without the secret key: help, or a command that signs
    nothing."""
    if not args or args[0] in HELP or "--help" in args or "-h" in args:
        return True
    return args[0] in SIGNS_NOTHING


def load_settings() -> str | None:
    """Read the settings now; the one-line reason when one is missing or bad."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from trygg.core.env import ImproperlyConfiguredEnv

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading it imports the settings module
    except (ImproperlyConfigured, ImproperlyConfiguredEnv) as error:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    argv = with_command_names(argv)
    if signs_nothing(argv[1:]):
        from trygg.core.env import allow_throwaway_secret_key

        allow_throwaway_secret_key()
    problem = load_settings()
    if problem:
        sys.stderr.write(f"trygg: {problem}\n")
        return BAD_SETTING_EXIT
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
