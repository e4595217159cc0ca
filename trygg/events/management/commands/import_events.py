"""`trygg import polisen|csv|geojson PATH`: events from a file, all valid rows or nothing.

    trygg import polisen events.json.gz [--county 17]
    trygg import csv rapporter.csv --organisation kbab [--visibility offentlig] [--skip-invalid]
    trygg import geojson fynd.geojson --organisation karlstad-kommunledning

Exit status 0 on success; 2 when nothing was written because of invalid rows, an unreadable
file, or an unknown organisation, user or county (the reason on stderr).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from trygg.events.importers.base import ImportFailed, ImportReport
from trygg.events.importers.common import ImportFileError
from trygg.events.importers.files import (
    POLICE_AUTHORITY,
    ImportRequest,
    ImportRequestError,
    import_file,
)

INVALID = 2  # exit status: nothing written

STAGES = {"read": "Läser", "write": "Skriver"}


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=INVALID)


class Command(BaseCommand):
    help = "Importerar händelser från polisens flöde (JSON), ett kalkylark (CSV) eller GeoJSON."

    def add_arguments(self, parser):
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        police = formats.add_parser(
            "polisen", help="polisens händelseflöde (.json eller .json.gz, som /api/events)"
        )
        police.add_argument("path", help="filen")
        police.add_argument("--county", help="bara händelser i detta län (länskod, t.ex. 17)")
        police.add_argument(
            "--organisation",
            help=f"ägande polisorganisation (standard {POLICE_AUTHORITY['code']}, skapas)",
        )
        self._add_common(police)
        for name, what in (("csv", "ett kalkylark sparat som CSV"), ("geojson", "GeoJSON-punkter")):
            partner = formats.add_parser(name, help=what)
            partner.add_argument("path", help="filen")
            partner.add_argument(
                "--organisation",
                required=True,
                help="koden för organisationen som äger händelserna",
            )
            partner.add_argument(
                "--visibility",
                help="synlighet för rader utan egen: offentlig, samverkanspartner (standard) "
                "eller egen organisation",
            )
            self._add_common(partner)

    def _add_common(self, parser) -> None:
        parser.add_argument("--user", help="användarnamnet som står i granskningsloggen")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="importera de giltiga raderna och rapportera de ogiltiga",
        )
        parser.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")

    def handle(self, *args, **options):
        stream = getattr(self.stderr, "_out", sys.stderr)
        show = not options["quiet"] and getattr(stream, "isatty", lambda: False)()
        progress = ProgressBar(stream) if show else None
        try:
            with transaction.atomic():
                report = self._import(options, progress)
        except ImportFileError as exc:
            raise fail(str(exc)) from None
        except ImportFailed as exc:
            for error in exc.report.errors:
                self.stderr.write(str(error))
            if exc.report.errors_not_listed:
                self.stderr.write(_("… och %(n)s till") % {"n": exc.report.errors_not_listed})
            raise fail(f"{exc} Rätta raderna, eller använd --skip-invalid.") from None
        finally:
            if progress is not None:
                progress.close()
        self.stdout.write(report.summary())
        if report.errors:
            self.stdout.write("Ogiltiga poster som inte importerades:")
            for error in report.errors:
                self.stdout.write(f"  {error}")
            if report.errors_not_listed:
                self.stdout.write("  " + _("… och %(n)s till") % {"n": report.errors_not_listed})

    def _import(self, options, progress) -> ImportReport:
        request = ImportRequest(
            format=options["format"],
            path=options["path"],
            organisation=options.get("organisation"),
            user=options["user"],
            county=options.get("county"),
            visibility=options.get("visibility"),
            skip_invalid=options["skip_invalid"],
        )
        try:
            return import_file(request, progress)
        except ImportRequestError as exc:
            raise fail(str(exc)) from None


class ProgressBar:
    """The pipeline's progress callback drawn with tqdm, one bar per stage."""

    def __init__(self, stream):
        self.stream = stream
        self.stage: str | None = None
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        bar = self.bar
        if stage != self.stage or bar is None:
            self.close()
            self.stage = stage
            bar = self.bar = tqdm(
                total=total or None,  # a streamed file's total is known at its end
                desc=STAGES.get(stage, stage),
                unit=" poster",
                file=self.stream,
                leave=False,
            )
        if total:
            bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
