"""One import request (format, file, owner, options) resolved and run: used by `trygg import`
and by the worker's import jobs, so both check their arguments the same way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from trygg.core.audit import record_created
from trygg.events.importers import csv_rows, geojson, polisen
from trygg.events.importers.base import ImportContext, ImportReport, Progress, run_import
from trygg.events.importers.common import VISIBILITY_WORDS
from trygg.events.models import Source
from trygg.organisations.models import Organisation
from trygg.places.models import Municipality
from trygg.places.reference import county_names

FORMATS = ("polisen", "csv", "geojson")

# The owner of the nationwide public police feed when no organisation is given: the Swedish
# Police Authority, seated in Stockholm. Created on the first import.
POLICE_AUTHORITY = {"code": "polismyndigheten", "name": "Polismyndigheten", "municipality": "0180"}


class ImportRequestError(ValueError):
    """An argument of the request is wrong (unknown organisation, user, county…): nothing ran."""


def fail(message: str) -> ImportRequestError:
    return ImportRequestError(message)


@dataclass
class ImportRequest:
    format: str
    path: str
    organisation: str | None = None
    user: str | None = None
    county: str | None = None
    visibility: str | None = None
    skip_invalid: bool = False


def import_file(request: ImportRequest, progress: Progress | None = None) -> ImportReport:
    """Resolve the request's names, check the file as a whole and run the import pipeline,
    which reads the file a batch at a time (decision 0034)."""
    if request.format not in FORMATS:
        raise fail(f"Okänt format: {request.format}. Format: {', '.join(FORMATS)}")
    user = _user(request.user)
    path = Path(request.path)
    if request.format == "polisen":
        county = _county(request.county)
        organisation = _police_organisation(request.organisation, user)
        parsed, source = polisen.parse(polisen.read(path), county_code=county), Source.POLICE
    else:
        if not request.organisation:
            raise fail("Ange organisationen som äger händelserna (--organisation KOD).")
        organisation = _organisation(request.organisation)
        visibility = _visibility(request.visibility)
        module = csv_rows if request.format == "csv" else geojson
        table = module.read(path)
        parsed = module.parse(table, organisation=organisation, visibility=visibility)
        source = Source.PARTNER
    ctx = ImportContext(
        source=source,
        importer=request.format,
        file_name=path.name,
        organisation=organisation,
        acting_user=user,
        skip_invalid=request.skip_invalid,
    )
    if progress is not None:
        ctx.progress = progress
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
