"""Reading the survey's files: response files and SCB population tables, as CSV from Excel or
elsewhere (the encodings and delimiters the events' CSV import accepts), and naming every
problem by row and column. Row numbers are the spreadsheet's: the header is row 1."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from trygg.events.importers.csv_rows import DELIMITERS, decode


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, where it is, in Swedish."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("rad %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolumn %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class FileProblems(Exception):
    """The file was refused, with every problem found; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass
class Table:
    columns: list[str]  # lower case, stripped
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells), blank rows left out


def read_table(data: bytes, name: str) -> Table:
    try:
        text, _encoding = decode(data, name)
    except Exception as error:  # ImportFileError: its message says what to do
        raise FileProblems([Problem(str(error))]) from None
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    if not header:
        raise FileProblems([Problem(_("%(name)s är tom.") % {"name": name})])
    delimiter = max(DELIMITERS, key=header.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileProblems([Problem(_("Ingen läsbar CSV-fil: %(e)s") % {"e": error})]) from None
    numbered = [(number, row) for number, row in enumerate(rows, start=1)]
    numbered = [(n, row) for n, row in numbered if any(cell.strip() for cell in row)]
    if not numbered:
        raise FileProblems([Problem(_("%(name)s är tom.") % {"name": name})])
    (_header_row, header_cells), body = numbered[0], numbered[1:]
    columns = [cell.strip().casefold() for cell in header_cells]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise FileProblems(
            [Problem(_("Kolumnen finns mer än en gång."), row=1, column=c) for c in repeated]
        )
    return Table(columns, [(n, [cell.strip() for cell in row]) for n, row in body])
