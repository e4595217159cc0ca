"""Partners' spreadsheets as CSV: one event per row (columns in docs/import-format.md).

Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252 with `;` and decimal commas;
"CSV UTF-8" adds a byte-order mark; other tools write plain UTF-8 with `,`. All are accepted:
the encoding is UTF-8 (with or without BOM) when the bytes decode as such, else Windows-1252
(UTF-16 from "Unicode-text" is recognised by its BOM); the delimiter is whichever of `;`, `,`
and tab the header row uses.

Row numbers are the spreadsheet's: the header is row 1, the first event row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from trygg.events.importers.common import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ImportFileError,
    RowLookups,
    candidate_from_fields,
    read_bytes,
)
from trygg.events.importers.records import Candidate, Records, RowError, Skip

DELIMITERS = (";", ",", "\t")
EMPTY_ROW_REASON = "tom rad"


@dataclass
class CsvTable:
    """The file read and checked as a whole: its columns (lower case) and its data rows."""

    columns: list[str]
    rows: list[list[str]]
    encoding: str
    delimiter: str


def read(path: str | Path) -> CsvTable:
    return read_data(read_bytes(path), Path(path).name)


def read_data(data: bytes, name: str = "filen") -> CsvTable:
    """Decode, find the delimiter and check the header: file-level errors come before any row."""
    text, encoding = decode(data, name)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise ImportFileError(_("%(name)s är tom") % {"name": name})
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("%(name)s är ingen läsbar CSV-fil (rad %(line)s): %(reason)s")
            % {"name": name, "line": reader.line_num, "reason": exc}
        ) from None
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)  # blank lines above the header
    columns = [cell.strip().casefold() for cell in rows[0]]
    _check_columns(columns, name)
    return CsvTable(columns=columns, rows=rows[1:], encoding=encoding, delimiter=delimiter)


def decode(data: bytes, name: str = "filen") -> tuple[str, str]:
    """(text, encoding): UTF-16 by its BOM, UTF-8 with or without BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("%(name)s är varken UTF-8 eller Windows-1252 (byte %(pos)s): spara som ”CSV UTF-8”")
            % {"name": name, "pos": exc.start}
        ) from None


def _check_columns(columns: list[str], name: str) -> None:
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(
            _("%(name)s saknar kolumnerna %(missing)s (rubrikraden har: %(found)s)")
            % {
                "name": name,
                "missing": ", ".join(missing),
                "found": ", ".join(c for c in columns if c) or "inga",
            }
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise ImportFileError(
            _("%(name)s har kolumnerna %(columns)s mer än en gång")
            % {"name": name, "columns": ", ".join(repeated)}
        )


def parse(
    table: CsvTable,
    *,
    organisation,
    visibility: str | None = None,
    lookups: RowLookups | None = None,
) -> Records:
    """Each data row as a Candidate, a RowError or (empty rows) a Skip."""
    known_lookups = lookups or RowLookups.load(organisation, visibility)
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    wanted = [(i, column) for i, column in enumerate(table.columns) if column in known]
    width = len(table.columns)

    def parse_part(start: int, stop: int) -> Iterator[Candidate | RowError | Skip]:
        # Row numbers are the spreadsheet's: the header is row 1.
        for row, cells in enumerate(table.rows[start:stop], start=start + 2):
            yield _parse_row(row, cells, wanted, width, known_lookups)

    return Records(len(table.rows), parse_part)


def _parse_row(row: int, cells: list[str], wanted, width: int, lookups: RowLookups):
    if not "".join(cells).strip():
        return Skip(row, EMPTY_ROW_REASON)
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        return RowError(
            row,
            _("kolumner"),
            _(
                "raden har %(n)s fält men rubrikraden %(m)s "
                "(skiljetecken i en text utan citattecken?)"
            )
            % {"n": len(cells), "m": width},
        )
    values = {column: cells[i] if i < len(cells) else "" for i, column in wanted}
    return candidate_from_fields(row, values, lookups)
