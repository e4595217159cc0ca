"""`trygg import polisen|csv|geojson PATH`: events from a file, all valid rows or nothing.

    trygg import polisen events.json.gz [--county 17]
    trygg import csv rapporter.csv --organisation kbab [--visibility offentlig] [--skip-invalid]
    trygg import geojson fynd.geojson --organisation karlstad-kommunledning

Exit status 0 on success; 2 when nothing was written because of invalid rows, an unreadable
file, or an unknown organisation, user or county (the reason on stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from trygg.core.audit import record_created
from trygg.events.importers import csv_rows, geojson, polisen
from trygg.events.importers.base import ImportContext, ImportFailed, ImportReport, run_import
from trygg.events.importers.common import VISIBILITY_WORDS, ImportFileError
from trygg.events.models import Source
from trygg.organisations.models import Organisation
from trygg.places.models import Municipality
from trygg.places.reference import county_names

INVALID = 2  # exit status: nothing written

# The owner of the nationwide public police feed when no --organisation is given: the Swedish
# Police Authority, seated in Stockholm. Created on the first import.
POLICE_AUTHORITY = {"code": "polismyndigheten", "name": "Polismyndigheten", "municipality": "0180"}

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
            raise fail(f"{exc} Rätta raderna, eller använd --skip-invalid.") from None
        finally:
            if progress is not None:
                progress.close()
        self.stdout.write(report.summary())
        if report.errors:
            self.stdout.write("Ogiltiga poster som inte importerades:")
            for error in report.errors:
                self.stdout.write(f"  {error}")

    def _import(self, options, progress) -> ImportReport:
        user = _user(options["user"])
        kind, path = options["format"], Path(options["path"])
        if kind == "polisen":
            county = _county(options["county"])
            organisation = _police_organisation(options["organisation"], user)
            records = polisen.read(path)
            parsed, total, source = (
                polisen.parse(records, county_code=county),
                len(records),
                Source.POLICE,
            )
        else:
            organisation = _organisation(options["organisation"])
            visibility = _visibility(options["visibility"])
            module = csv_rows if kind == "csv" else geojson
            table = module.read(path)
            total = len(table.rows) if kind == "csv" else len(table.features)
            parsed = module.parse(table, organisation=organisation, visibility=visibility)
            source = Source.PARTNER
        if progress is not None:
            progress.expect("read", total)
        ctx = ImportContext(
            source=source,
            importer=kind,
            file_name=path.name,
            organisation=organisation,
            acting_user=user,
            skip_invalid=options["skip_invalid"],
            **({"progress": progress} if progress is not None else {}),
        )
        return run_import(parsed, ctx)


def _user(username: str | None):
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise fail(f"Okänd användare: {username}") from None


def _organisation(code: str) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.order_by("code").values_list("code", flat=True))
        raise fail(f"Okänd organisation: {code}. Kända koder: {known or '(inga organisationer)'}")
    return organisation


def _police_organisation(code: str | None, user) -> Organisation:
    if code:
        organisation = _organisation(code)
        if not organisation.is_police:
            raise fail(
                f"{organisation.code} är ingen polisorganisation: polisens händelser ägs av polisen"
            )
        return organisation
    return police_authority(acting_user=user)


def police_authority(*, acting_user=None) -> Organisation:
    """The Swedish Police Authority, created (and audited) the first time it is needed."""
    organisation = Organisation.objects.filter(code=POLICE_AUTHORITY["code"]).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            code=POLICE_AUTHORITY["code"],
            name=POLICE_AUTHORITY["name"],
            kind=Organisation.Kind.POLICE,
            municipality=Municipality.objects.get(code=POLICE_AUTHORITY["municipality"]),
        )
        record_created(acting_user, organisation, ["code", "name", "kind", "municipality_id"])
    return organisation


def _county(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().zfill(2)
    counties = county_names()
    if code not in counties:
        known = ", ".join(f"{c} {n}" for c, n in sorted(counties.items()))
        raise fail(f"Okänd länskod: {value}. Länskoder: {known}")
    return code


def _visibility(value: str | None) -> str | None:
    if not value:
        return None
    key = " ".join(value.split()).casefold()
    if key not in VISIBILITY_WORDS:
        raise fail(
            f"Okänd synlighet: {value}. "
            "Använd offentlig, samverkanspartner eller egen organisation."
        )
    return VISIBILITY_WORDS[key]


class ProgressBar:
    """The pipeline's progress callback drawn with tqdm, one bar per stage."""

    def __init__(self, stream):
        self.stream = stream
        self.totals: dict[str, int] = {}
        self.stage: str | None = None
        self.bar: tqdm | None = None

    def expect(self, stage: str, total: int) -> None:
        self.totals[stage] = total

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(
                total=total or self.totals.get(stage) or None,
                desc=STAGES.get(stage, stage),
                unit=" poster",
                file=self.stream,
                leave=False,
            )
        if total:
            self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
