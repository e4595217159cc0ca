"""Parsing shared by the partner importers (CSV and GeoJSON): files, times, numbers, lookups.

Everything that needs the database is loaded once per import (`RowLookups.load`), so turning a
row into a `Candidate` costs no query.
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.privacy import holds_identifier
from trygg.events.importers.records import Candidate, RowError
from trygg.events.models import Category, Visibility
from trygg.places.models import Place

STOCKHOLM = ZoneInfo("Europe/Stockholm")

REQUIRED_COLUMNS = ("external_id", "occurred_at", "category", "lat", "lon", "description")
OPTIONAL_COLUMNS = ("occurred_to", "place", "visibility")
EXTERNAL_ID_MAX = 80  # Event.external_id

# The values a spreadsheet may use for visibility, in English (our codes) or Swedish.
VISIBILITY_WORDS: dict[str, str] = {
    "public": Visibility.PUBLIC,
    "offentlig": Visibility.PUBLIC,
    "partners": Visibility.PARTNERS,
    "partner": Visibility.PARTNERS,
    "samverkanspartner": Visibility.PARTNERS,
    "samverkanspartners": Visibility.PARTNERS,
    "organisation": Visibility.ORGANISATION,
    "egen organisation": Visibility.ORGANISATION,
    "egen": Visibility.ORGANISATION,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, not JSON, wrong columns): no row is tried."""


def read_bytes(path: str | Path) -> bytes:
    """The file's content, gunzipped when it is gzip (by its magic bytes, not its name)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(_("filen %(path)s finns inte") % {"path": path}) from None
    except IsADirectoryError:
        raise ImportFileError(_("%(path)s är en katalog, inte en fil") % {"path": path}) from None
    except OSError as exc:
        raise ImportFileError(
            _("filen %(path)s kan inte läsas: %(reason)s") % {"path": path, "reason": exc.strerror}
        ) from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ImportFileError(
                _("filen %(path)s är en trasig gzip-fil: %(reason)s")
                % {"path": path, "reason": exc}
            ) from None
    return data


def parse_occurred_at(value: str) -> dt.datetime:
    """'2026-03-01 21:30', '2026-03-01T21:30:00+01:00' or '2026-03-01'; naive means Swedish time.

    Returned in UTC (cheaper to compare and store). Raises ValueError with a Swedish message.
    """
    text = value.strip()
    if not text:
        raise ValueError(_("tidpunkt saknas"))
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("”%(value)s” är ingen tidpunkt (använd t.ex. 2026-03-01 21:30)") % {"value": text}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(dt.UTC)


def parse_number(value: object, name: str) -> float:
    """A coordinate: a number, or text with a decimal point or a decimal comma ('59,3793')."""
    if isinstance(value, bool):
        raise ValueError(_("%(name)s är inget tal") % {"name": name})
    if isinstance(value, int | float):
        number = float(value)
    elif type(value) is str and (plain := _plain_float(value)) is not None:
        number = plain
    else:
        text = str(value or "").strip().replace("\u2212", "-")
        if not text:
            raise ValueError(_("%(name)s saknas") % {"name": name})
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(
                _("”%(value)s” är inget tal (%(name)s)") % {"value": text, "name": name}
            ) from None
    if not math.isfinite(number):
        raise ValueError(_("%(name)s är inget ändligt tal") % {"name": name})
    return number


# An id is stored as it is, so one that looks like a personal identifier is refused, not scrubbed.
EXTERNAL_ID_PERSONAL = gettext_lazy(
    "external_id ser ut att innehålla en personuppgift (personnummer, telefonnummer, e-post "
    "eller registreringsnummer); använd ett ärende- eller radnummer"
)


def _plain_float(text: str) -> float | None:
    """The common case, '59.3793', without the checks for commas and minus signs."""
    try:
        return float(text)
    except ValueError:
        return None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class RowLookups:
    """What a row's text refers to: categories by code or Swedish name, places by name."""

    categories: dict[str, int]
    inactive_categories: set[str]
    places: dict[str, list[int]]
    default_visibility: str = Visibility.PARTNERS

    @classmethod
    def load(cls, organisation, default_visibility: str | None = None) -> RowLookups:
        categories: dict[str, int] = {}
        inactive: set[str] = set()
        for pk, code, name_sv, is_active in Category.objects.values_list(
            "pk", "code", "name_sv", "is_active"
        ):
            for key in (_key(code), _key(name_sv)):
                if is_active:
                    categories.setdefault(key, pk)
                else:
                    inactive.add(key)
        places: dict[str, list[int]] = {}
        for pk, name in Place.objects.filter(
            municipality_id=organisation.municipality_id
        ).values_list("pk", "name"):
            places.setdefault(_key(name), []).append(pk)
        return cls(
            categories=categories,
            inactive_categories=inactive - set(categories),
            places=places,
            default_visibility=default_visibility or Visibility.PARTNERS,
        )

    def __post_init__(self) -> None:
        # A file repeats a handful of category, place and visibility texts a million times:
        # each distinct text is normalised and looked up once.
        self._category_memo: dict[str, int] = {}
        self._place_memo: dict[str, int | None] = {"": None}
        self._visibility_memo: dict[str, str] = {"": self.default_visibility}

    def category_id(self, text: str) -> int:
        known = self._category_memo.get(text)
        if known is None:
            known = self._category_memo[text] = self._category_id(text)
        return known

    def place_id(self, text: str) -> int | None:
        if text in self._place_memo:
            return self._place_memo[text]
        found = self._place_memo[text] = self._place_id(text)
        return found

    def visibility(self, text: str) -> str:
        known = self._visibility_memo.get(text)
        if known is None:
            known = self._visibility_memo[text] = self._visibility(text)
        return known

    def _category_id(self, text: str) -> int:
        key = _key(text)
        if not key:
            raise ValueError(_("kategori saknas"))
        if key in self.categories:
            return self.categories[key]
        if key in self.inactive_categories:
            raise ValueError(_("kategorin ”%(value)s” används inte längre") % {"value": text})
        raise ValueError(
            _("okänd kategori ”%(value)s” (ange kategorins kod eller svenska namn)")
            % {"value": text}
        )

    def _place_id(self, text: str) -> int | None:
        key = _key(text)
        if not key:
            return None
        ids = self.places.get(key, [])
        if not ids:
            raise ValueError(_("okänd plats ”%(value)s” i kommunen") % {"value": text})
        if len(ids) > 1:
            raise ValueError(
                _("%(n)s platser heter ”%(value)s”: kan inte välja")
                % {"n": len(ids), "value": text}
            )
        return ids[0]

    def _visibility(self, text: str) -> str:
        key = _key(text)
        if not key:
            return self.default_visibility
        if key in VISIBILITY_WORDS:
            return VISIBILITY_WORDS[key]
        raise ValueError(
            _("okänd synlighet ”%(value)s” (offentlig, samverkanspartner eller egen organisation)")
            % {"value": text}
        )

    def external_id(self, value: object) -> str:
        text = "" if value is None else str(value).replace("\x00", "").strip()
        if not text:
            raise ValueError(_("external_id saknas"))
        if len(text) > EXTERNAL_ID_MAX:
            raise ValueError(
                _("external_id är för långt (högst %(n)s tecken)") % {"n": EXTERNAL_ID_MAX}
            )
        if holds_identifier(text):
            raise ValueError(str(EXTERNAL_ID_PERSONAL))
        return text


def _text(values: Mapping[str, object], name: str) -> str:
    value = values.get(name)
    if type(value) is str and "\x00" not in value:
        return value  # the common case, without a copy
    # PostgreSQL refuses NUL in text; a spreadsheet export may hold one.
    return "" if value is None else str(value).replace("\x00", "")


def candidate_from_fields(
    row: int,
    values: Mapping[str, object],
    lookups: RowLookups,
    position: tuple[float, float] | None = None,
) -> Candidate | RowError:
    """One partner row (column -> value) as a Candidate, or its first wrong field.

    `position` is (lat, lon) when the source gives it apart from the columns (GeoJSON).
    """
    name = "external_id"
    try:
        external_id = lookups.external_id(values.get("external_id"))
        name = "occurred_at"
        occurred_from = parse_occurred_at(_text(values, "occurred_at"))
        name = "occurred_to"
        to_text = _text(values, "occurred_to").strip()
        occurred_to = parse_occurred_at(to_text) if to_text else None
        name = "category"
        category_id = lookups.category_id(_text(values, "category"))
        if position is None:
            name = "lat"
            lat = parse_number(values.get("lat"), "lat")
            name = "lon"
            lon = parse_number(values.get("lon"), "lon")
        else:
            lat, lon = position
        name = "place"
        place_id = lookups.place_id(_text(values, "place"))
        name = "visibility"
        visibility = lookups.visibility(_text(values, "visibility"))
    except ValueError as exc:
        return RowError(row, name, str(exc))
    return Candidate(
        row=row,
        external_id=external_id,
        category_id=category_id,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        lat=lat,
        lon=lon,
        description=_text(values, "description").strip(),
        visibility=visibility,
        place_id=place_id,
    )
