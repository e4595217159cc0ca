"""The sample frame (issue 13, point 2): the sub-areas' population by sex × age group from an
SCB table, and how many were drawn in each sub-area.

SCB's table layout, as Statistikdatabasen exports it to CSV: one row per region, sex and age,
the count in the last column (its header is the year), e.g.

    region;kön;ålder;2024
    1780R006 Herrhagen sydöstra-Yttre hamn;män;16 år;61

The region is a sub-area of the municipality by its code (RegSO "1780R006"), by "code name" or
by its name. Ages come in years ("16 år"), bands ("16-19 år") or open bands ("100+ år") and
are added up into the survey's age groups; ages outside every group (children, the oldest) are
left out, and a band that straddles two groups is refused, since it cannot be split honestly.
The whole table replaces the frame's population, or nothing changes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.audit import record
from trygg.core.models import AuditEntry
from trygg.organisations.access import access_for
from trygg.places.models import Area
from trygg.surveys.files import FileProblems, Problem, read_table
from trygg.surveys.in_municipality import frame_of, respondents_of
from trygg.surveys.models import FrameArea, Population, Sex, Survey

REGION, SEX, AGE = "region", "kön", "ålder"
SEX_WORDS = {
    "män": Sex.MAN,
    "man": Sex.MAN,
    "1": Sex.MAN,
    "kvinnor": Sex.WOMAN,
    "kvinna": Sex.WOMAN,
    "2": Sex.WOMAN,
}
AGE_BAND = re.compile(r"^(\d+)\s*(?:[-–]\s*(\d+)|(\+))?\s*(?:år)?(?:\s+och\s+äldre)?$")
OPEN_END = 200
NOT_A_MANAGER = gettext_lazy(
    "Bara kommunens samordnare och analytiker kan ändra en trygghetsmätning."
)


# Who keeps a municipality's surveys: its coordinators, analysts and admins.
MANAGING_ROLES = ("coordinator", "admin", "analyst")


def may_manage(user, municipality_id: int) -> bool:
    return access_for(user).has_role_in(municipality_id, MANAGING_ROLES)


def check_may_manage(user, survey: Survey) -> None:
    if not may_manage(user, survey.municipality_id):
        raise PermissionDenied(NOT_A_MANAGER)


@dataclass(frozen=True)
class AgeGroup:
    code: str
    low: int
    high: int


def age_groups(survey: Survey) -> list[AgeGroup]:
    groups = []
    for code in survey.age_groups:
        low, high = parse_age(code) or (None, None)
        if low is None or high is None:
            raise ValueError(f"the survey's age group {code!r} is not 'low-high'")
        groups.append(AgeGroup(code, low, high))
    return groups


def parse_age(text: str) -> tuple[int, int] | None:
    """(low, high) years of "16 år", "16-19 år", "16–19", "100+ år", "85 år och äldre"."""
    match = AGE_BAND.match(text.strip().casefold())
    if not match:
        return None
    low = int(match.group(1))
    if match.group(2):
        return low, int(match.group(2))
    if match.group(3) or "äldre" in text:
        return low, OPEN_END
    return low, low


def group_of(band: tuple[int, int], groups: list[AgeGroup]) -> AgeGroup | None | str:
    """The group holding the whole band; None when the band is outside every group; "split"
    when it reaches into a group without lying inside one."""
    low, high = band
    for group in groups:
        if group.low <= low and high <= group.high:
            return group
    if any(low <= group.high and group.low <= high for group in groups):
        return "split"
    return None


class AreaFinder:
    """A region cell to one of the municipality's current areas."""

    def __init__(self, municipality_id: int):
        areas = list(Area.objects.filter(municipality_id=municipality_id, valid_to__isnull=True))
        self.by_code = {a.code.casefold(): a for a in areas if a.code}
        self.by_name = {a.name.casefold(): a for a in areas}

    def find(self, text: str) -> Area | None:
        key = text.strip().casefold()
        first = key.split(" ", 1)[0]
        return self.by_code.get(key) or self.by_code.get(first) or self.by_name.get(key)


def read_population(survey: Survey, data: bytes, name: str) -> dict[tuple[int, str, str], int]:
    """{(area id, sex, age group): people} from an SCB table, or FileProblems naming every
    row and column that could not be used."""
    table = read_table(data, name)
    problems = [
        Problem(_("Kolumnen saknas."), row=1, column=column)
        for column in (REGION, SEX, AGE)
        if column not in table.columns
    ]
    extra = [c for c in table.columns if c not in (REGION, SEX, AGE)]
    if len(extra) != 1:
        problems.append(
            Problem(
                _(
                    "Tabellen ska ha precis en kolumn med antal (årtalet) utöver region, kön och "
                    "ålder; den har: %(columns)s."
                )
                % {"columns": ", ".join(extra) or _("ingen")},
                row=1,
            )
        )
    if problems:
        raise FileProblems(problems)
    finder, groups = AreaFinder(survey.municipality_id), age_groups(survey)
    cells: dict[tuple[int, str, str], int] = defaultdict(int)
    for number, cells_of_row in table.rows:
        row = dict(zip(table.columns, cells_of_row, strict=False))
        key, row_problems = _population_row(row, number, extra[0], finder, groups)
        problems += row_problems
        if key is not None and not row_problems:
            cells[key[0]] += key[1]
    if problems:
        raise FileProblems(problems)
    if not cells:
        raise FileProblems([Problem(_("Tabellen har inga rader inom undersökningens åldrar."))])
    return dict(cells)


def _population_row(row, number, value_column, finder, groups):
    problems = []
    area = finder.find(row.get(REGION, ""))
    if area is None:
        problems.append(
            Problem(
                _("Okänt delområde i kommunen: %(v)s.") % {"v": row.get(REGION, "")}, number, REGION
            )
        )
    sex = SEX_WORDS.get(row.get(SEX, "").strip().casefold())
    if sex is None:
        problems.append(
            Problem(
                _("Kön ska vara män eller kvinnor, inte %(v)s.") % {"v": row.get(SEX, "")},
                number,
                SEX,
            )
        )
    band = parse_age(row.get(AGE, ""))
    group = group_of(band, groups) if band else None
    if band is None:
        problems.append(Problem(_("Okänd ålder: %(v)s.") % {"v": row.get(AGE, "")}, number, AGE))
    elif group == "split":
        problems.append(
            Problem(
                _("Åldern %(v)s går över gränsen mellan undersökningens åldersgrupper (%(g)s).")
                % {"v": row.get(AGE, ""), "g": ", ".join(g.code for g in groups)},
                number,
                AGE,
            )
        )
    text = row.get(value_column, "").replace(" ", "").replace("\u00a0", "")
    if not text.isdigit():
        problems.append(
            Problem(
                _("Antalet ska vara ett heltal, inte %(v)s.") % {"v": text or _("tomt")},
                number,
                value_column,
            )
        )
    if problems or group is None or band is None or area is None or sex is None:
        return None, problems
    return ((area.pk, str(sex), group.code), int(text)), []


@transaction.atomic
def import_population(survey: Survey, data: bytes, name: str, *, acting_user) -> int:
    """Replace the frame's population with the table's; the number of cells written."""
    check_may_manage(acting_user, survey)
    cells = read_population(survey, data, name)
    _check_respondents_covered(survey, cells)
    frame = {fa.area_id: fa for fa in frame_of(survey)}
    # Deleted by frame area ids, naming the municipality: a delete through a join to the
    # frame areas would be refused by Citus.
    Population.objects.filter(
        municipality_id=survey.municipality_id,
        frame_area_id__in=[frame_area.pk for frame_area in frame.values()],
    ).delete()
    for area_id in {area_id for area_id, _sex, _group in cells}:
        if area_id not in frame:
            frame[area_id] = FrameArea.objects.create(survey=survey, area_id=area_id, sample_size=0)
    Population.objects.bulk_create(
        Population(frame_area=frame[area_id], sex=sex, age_group=group, people=people)
        for (area_id, sex, group), people in sorted(cells.items())
    )
    record(
        acting_user,
        survey,
        AuditEntry.Action.IMPORT,
        field="population",
        new={"file": name, "cells": len(cells)},
    )
    return len(cells)


def _check_respondents_covered(survey: Survey, cells: dict) -> None:
    """Cells where respondents already are and the new table has nobody, or the reverse."""
    answered = set(
        respondents_of(survey, with_frame_area=True)
        .values_list("frame_area__area_id", "sex", "age_group")
        .distinct()
    )
    if not answered:
        return
    names = dict(
        Area.objects.filter(pk__in={a for a, _s, _g in answered | set(cells)}).values_list(
            "pk", "name"
        )
    )
    problems = [
        Problem(
            _("Cellen %(cell)s har svarande men ingen befolkning i tabellen.")
            % {"cell": _cell_name(cell, names)}
        )
        for cell in sorted(answered - {c for c, n in cells.items() if n > 0})
    ] + [
        Problem(
            _("Cellen %(cell)s har befolkning men inga svarande.")
            % {"cell": _cell_name(cell, names)}
        )
        for cell in sorted({c for c, n in cells.items() if n > 0} - answered)
    ]
    if problems:
        raise FileProblems(problems)


def _cell_name(cell: tuple[int, str, str], names: dict[int, str]) -> str:
    area_id, sex, group = cell
    return f"{names.get(area_id, area_id)} · {Sex(sex).label} · {group}"


@transaction.atomic
def set_sample_sizes(survey: Survey, sizes: dict[int, int], *, acting_user) -> None:
    """How many were drawn per sub-area (area id → number); areas new to the frame are added."""
    check_may_manage(acting_user, survey)
    areas = set(
        Area.objects.filter(pk__in=sizes, municipality_id=survey.municipality_id).values_list(
            "pk", flat=True
        )
    )
    problems = [
        Problem(_("Området %(id)s hör inte till kommunen.") % {"id": area_id})
        for area_id in sizes
        if area_id not in areas
    ] + [
        Problem(_("Urvalet i område %(id)s kan inte vara negativt.") % {"id": area_id})
        for area_id, size in sizes.items()
        if size < 0
    ]
    if problems:
        raise FileProblems(problems)
    for area_id, size in sizes.items():
        # The municipality named: update_or_create locks the row, and a sharded database locks
        # only in a query it can send to one shard.
        FrameArea.objects.update_or_create(
            survey=survey,
            municipality_id=survey.municipality_id,
            area_id=area_id,
            defaults={"sample_size": size},
        )
    record(acting_user, survey, AuditEntry.Action.UPDATE, field="sample_sizes", new=sizes)
