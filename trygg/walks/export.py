"""A walk's findings as files for the partners: GeoJSON for a map, CSV for a spreadsheet.

Both take findings loaded by `api.visible_findings` (so the caller's visibility has already
been applied) and hold the same facts as the API's items; neither names who captured anything.

The CSV follows the project's other CSV (the public summary, `situation/public.py`): UTF-8 with
a byte-order mark and `;` between columns, so Swedish Excel opens it as it is; numbers with a
decimal comma, as Swedish Excel writes them (and as `trygg import csv` reads them). One column
per checklist item holds the finding's score (or "x" for a ticked item). A text cell that
starts like a formula is defused with a leading apostrophe, as in the public summary.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.walks.models import Finding, Walk

# Characters a spreadsheet reads as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

GEOJSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
    },
}


def openapi_response(content_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The 200 of an export endpoint for the OpenAPI document (the body is a file)."""
    description = _("Filen.")
    content = {content_type: {"schema": schema}}
    return {"responses": {"200": {"description": description, "content": content}}}


# --- GeoJSON -------------------------------------------------------------------------------


def feature(finding: Finding, photo_url: Callable) -> dict[str, Any]:
    event = finding.event
    return {
        "type": "Feature",
        "id": finding.pk,
        # GeoJSON (RFC 7946) is WGS84 longitude, latitude.
        "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
        "properties": {
            "number": finding.number,
            "client_id": str(finding.client_id),
            "captured_at": timezone.localtime(event.occurred_from).isoformat(),
            "category": event.category.code,
            "category_name": event.category.name,
            "note": event.description,
            "stop": finding.stop.name if finding.stop else None,
            "responsible": finding.responsible.code if finding.responsible else None,
            "scores": {s.item.code: s.score for s in finding.scores.all()},
            "answers": [a.kind for a in finding.answers.all()],
            "photos": [photo_url(p) for p in finding.photos.all()],
        },
    }


def geojson_bytes(findings: Iterable[Finding], photo_url: Callable) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "features": [feature(f, photo_url) for f in findings],
    }
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


# --- CSV -----------------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def decimal(value: float, places: int = 6) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def _score_cell(score: int | None) -> str:
    return "x" if score is None else str(score)


def header(item_codes: list[str]) -> list[str]:
    return [
        _("nummer"),
        _("id från enheten"),
        _("tidpunkt"),
        _("latitud"),
        _("longitud"),
        _("kategori"),
        _("kategorinamn"),
        _("anteckning"),
        _("stopp"),
        _("ansvarig"),
        *item_codes,
        _("svar"),
        _("åtgärder"),
    ]


def row(finding: Finding, item_codes: list[str]) -> list[str]:
    event = finding.event
    scores = {s.item.code: _score_cell(s.score) for s in finding.scores.all()}
    answers = finding.answers.all()
    texts = [
        event.category.name,
        event.description,
        finding.stop.name if finding.stop else "",
        finding.responsible.name if finding.responsible else "",
    ]
    return [
        str(finding.number),
        str(finding.client_id),
        timezone.localtime(event.occurred_from).strftime("%Y-%m-%d %H:%M"),
        decimal(event.lat),
        decimal(event.lon),
        event.category.code,
        *(safe_text(text) for text in texts),
        *(scores.get(code, "") for code in item_codes),
        safe_text(", ".join(f"{a.organisation.name}: {a.get_kind_display()}" for a in answers)),
        safe_text(
            ", ".join(
                f"{a.measure.title} ({a.measure.get_status_display()})"
                for a in answers
                if a.measure
            )
        ),
    ]


def csv_text(walk: Walk, findings: Iterable[Finding]) -> str:
    """The findings as CSV text, header first (see the module docstring)."""
    item_codes = list(walk.template.items.values_list("code", flat=True))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(item_codes))
    for finding in findings:
        writer.writerow(row(finding, item_codes))
    return out.getvalue()
