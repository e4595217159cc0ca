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
import os
import tempfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from trygg.events.importers import streams
from trygg.events.importers.common import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ImportFileError,
    RowLookups,
    candidate_from_fields,
)
from trygg.events.importers.records import Candidate, Records, RecordStream, RowError, Skip

DELIMITERS = (";", ",", "\t")
EMPTY_ROW_REASON = "tom rad"


@dataclass
class CsvTable:
    """The file checked as a whole (encoding, delimiter, header), its data rows read on demand:
    `open_rows()` reads them anew from the file, one at a time."""

    columns: list[str]
    encoding: str
    delimiter: str
    open_rows: Callable[[], Iterator[list[str]]]

    @property
    def rows(self) -> list[list[str]]:
        """Every data row at once: for small files and tests."""
        return list(self.open_rows())


def read(path: str | Path) -> CsvTable:
    return _read(path, Path(path).name)


def read_data(data: bytes, name: str = "filen") -> CsvTable:
    """A small file given as bytes: written to a temporary file and read the same way."""
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        handle.write(data)
    try:
        table = _read(handle.name, name)
        rows = table.rows
    finally:
        os.unlink(handle.name)
    return CsvTable(table.columns, table.encoding, table.delimiter, lambda: iter(rows))


def _read(path: str | Path, name: str) -> CsvTable:
    """Find the encoding (the whole file is checked first, a block at a time), the delimiter and
    the header: file-level errors come before any row."""
    encoding = detect_encoding(path, name)
    lines = _lines(path, encoding)
    try:
        header_line = next(line for text in lines for line in text.splitlines() if line.strip())
    except StopIteration:
        raise ImportFileError(_("%(name)s är tom") % {"name": name}) from None
    finally:
        lines.close()
    delimiter = max(DELIMITERS, key=header_line.count)
    rows = _rows(path, encoding, delimiter, name)
    try:
        columns = [cell.strip().casefold() for cell in next(rows)]
    finally:
        rows.close()
    _check_columns(columns, name)

    def open_rows() -> Iterator[list[str]]:
        data = _rows(path, encoding, delimiter, name)
        next(data)  # the header
        return data

    return CsvTable(columns=columns, encoding=encoding, delimiter=delimiter, open_rows=open_rows)


def _lines(path: str | Path, encoding: str) -> Generator[str, None, None]:
    """The file's lines as Python's universal newlines cut them, ends kept (csv wants them)."""
    binary = streams.open_bytes(path)
    text = io.TextIOWrapper(binary, encoding=_CODECS[encoding], newline="")
    try:
        yield from text
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportFileError(
            _("filen %(path)s är en trasig gzip-fil: %(reason)s") % {"path": path, "reason": exc}
        ) from None
    finally:
        text.close()


def _rows(
    path: str | Path, encoding: str, delimiter: str, name: str
) -> Generator[list[str], None, None]:
    """The header row, then the data rows; blank rows above the header are left out."""
    lines = _lines(path, encoding)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header_found = False
        for cells in reader:
            if not header_found:
                if not any(cell.strip() for cell in cells):
                    continue
                header_found = True
            yield cells
    except csv.Error as exc:
        raise ImportFileError(
            _("%(name)s är ingen läsbar CSV-fil (rad %(line)s): %(reason)s")
            % {"name": name, "line": reader.line_num, "reason": exc}
        ) from None
    finally:
        lines.close()


# Python's codec for each encoding's name (UTF-8 with or without BOM; UTF-16 by its BOM).
_CODECS = {"utf-16": "utf-16", "utf-8": "utf-8-sig", "windows-1252": "cp1252"}


def detect_encoding(path: str | Path, name: str = "filen") -> str:
    """UTF-16 by its BOM, UTF-8 with or without BOM when the whole file decodes so, else
    Windows-1252: the file is read through once, a block at a time, before any row."""
    with streams.open_bytes(path) as binary:
        first = streams.read_block(binary, path, 2)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "windows-1252"):
        decoder = codecs.getincrementaldecoder(_CODECS[encoding])()
        offset = 0
        try:
            for block in streams.byte_blocks(path):
                pending = len(decoder.getstate()[0])
                decoder.decode(block)
                offset += len(block)
            pending = len(decoder.getstate()[0])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                continue
            raise ImportFileError(
                _(
                    "%(name)s är varken UTF-8 eller Windows-1252 (byte %(pos)s): "
                    "spara som ”CSV UTF-8”"
                )
                % {"name": name, "pos": offset - pending + exc.start}
            ) from None
        return encoding
    raise AssertionError("unreachable: Windows-1252 either decodes or raises")


def decode(data: bytes, name: str = "filen") -> tuple[str, str]:
    """(text, encoding) of bytes in memory: UTF-16 by its BOM, UTF-8 with or without BOM, else
    Windows-1252."""
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
) -> RecordStream:
    """Each data row as a Candidate, a RowError or (empty rows) a Skip, read a batch at a time."""
    known_lookups = lookups or RowLookups.load(organisation, visibility)
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    wanted = [(i, column) for i, column in enumerate(table.columns) if column in known]
    width = len(table.columns)

    def batch(start: int, rows: list[list[str]]) -> Records:
        def parse_part(a: int, b: int) -> Iterator[Candidate | RowError | Skip]:
            # Row numbers are the spreadsheet's: the header is row 1.
            for row, cells in enumerate(rows[a:b], start=start + a + 2):
                yield _parse_row(row, cells, wanted, width, known_lookups)

        return Records(len(rows), parse_part)

    return RecordStream(table.open_rows, batch)


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
