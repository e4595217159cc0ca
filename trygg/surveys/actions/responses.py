"""Responses in (issue 13, point 3): one row per respondent — sub-area, sex, age group, one
column per item of the survey's questionnaire, and optionally `kommentar` for a free-text
answer (scrubbed like all free text).

    delomrade;kon;aldersgrupp;fortkorning;nedskrapning;…;otrygg_kvall
    1780R006;kvinna;25-44;2;3;…;1

An empty cell is a question not answered. Respondents are anonymous: a column that would
identify a person (name, personal number, address, e-mail, phone) is refused outright, as is
any column the questionnaire does not know. The whole file is checked before anything is
written — every unknown code, answer outside the scale, sub-area outside the frame, and cell
without population is named by row and column — and then written all at once or not at all. A
file imported before (the same bytes) is not imported again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from trygg.core.audit import record
from trygg.core.bulk_sql import insert_rows
from trygg.core.models import AuditEntry
from trygg.core.privacy import scrub
from trygg.surveys.actions.frame import SEX_WORDS, check_may_manage
from trygg.surveys.files import FileProblems, Problem, Table, read_table
from trygg.surveys.in_municipality import frame_of, population_of, survey_rows
from trygg.surveys.models import FrameArea, Respondent, ResponseFile, Survey

AREA, SEX, AGE_GROUP, COMMENT = "delomrade", "kon", "aldersgrupp", "kommentar"
REQUIRED = (AREA, SEX, AGE_GROUP)
# Headers that say a file carries who answered: refused with a message of their own.
PERSONAL_COLUMNS = {
    "namn",
    "förnamn",
    "efternamn",
    "personnummer",
    "pnr",
    "adress",
    "gatuadress",
    "postnummer",
    "e-post",
    "epost",
    "email",
    "telefon",
    "mobil",
    "id",
    "löpnummer",
    "respondent",
}
RESPONDENT_FIELDS = (
    "survey",
    "municipality",
    "source",
    "frame_area",
    "sex",
    "age_group",
    "answers",
    "comment",
)


@dataclass(frozen=True)
class Imported:
    rows: int
    new: bool  # False: this file was imported before, nothing was added


def import_responses(survey: Survey, data: bytes, name: str, *, acting_user) -> Imported:
    check_may_manage(acting_user, survey)
    digest = hashlib.sha256(data).hexdigest()
    earlier = survey_rows(ResponseFile, survey).filter(sha256=digest).first()
    if earlier is not None:
        return Imported(earlier.rows, new=False)
    respondents = read_responses(survey, read_table(data, name))
    return _write(survey, respondents, digest, name, acting_user)


@transaction.atomic
def _write(survey, respondents: list[Respondent], digest: str, name: str, acting_user) -> Imported:
    source = ResponseFile.objects.create(
        survey=survey, sha256=digest, name=name, rows=len(respondents), imported_by=acting_user
    )
    # Plain rows (trygg.core.bulk_sql): bulk_create's per-object work was most of a police
    # region's import. The only save() logic Respondent has is copying its survey's
    # municipality, done here; the comment was scrubbed when read.
    insert_rows(
        connection,
        Respondent,
        RESPONDENT_FIELDS,
        (
            (
                survey.pk,
                survey.municipality_id,
                source.pk,
                r.frame_area_id,
                r.sex,
                r.age_group,
                json.dumps(r.answers),
                r.comment,
            )
            for r in respondents
        ),
    )
    record(
        acting_user,
        survey,
        AuditEntry.Action.IMPORT,
        field="responses",
        new={"file": name, "rows": len(respondents)},
    )
    return Imported(len(respondents), new=True)


def read_responses(survey: Survey, table: Table) -> list[Respondent]:
    """Every row as an unsaved Respondent, or FileProblems with every problem in the file."""
    items = {item.code: item for item in survey.questionnaire.items.all()}
    _check_columns(table, items)
    frame = _frame_lookup(survey)
    scales = {code: {o["code"] for o in item.options} for code, item in items.items()}
    populated = set(
        population_of(survey).filter(people__gt=0).values_list("frame_area_id", "sex", "age_group")
    )
    problems: list[Problem] = []
    respondents: list[Respondent] = []
    for number, cells in table.rows:
        row = dict(zip(table.columns, cells, strict=False))
        respondent, row_problems = _respondent(survey, row, number, items, scales, frame, populated)
        problems += row_problems
        if respondent is not None:
            respondents.append(respondent)
    if problems:
        raise FileProblems(problems)
    if not respondents:
        raise FileProblems([Problem(_("Filen har inga svarande."))])
    return respondents


def _check_columns(table: Table, items: dict) -> None:
    problems = [
        Problem(_("Kolumnen saknas."), row=1, column=column)
        for column in REQUIRED
        if column not in table.columns
    ]
    for column in table.columns:
        if column in REQUIRED or column in items or column == COMMENT:
            continue
        if column in PERSONAL_COLUMNS:
            message = _("Svaren är anonyma: kolumnen tas inte emot. Ta bort den och försök igen.")
        else:
            message = _("Okänd kolumn: frågeformuläret har ingen fråga med den koden.")
        problems.append(Problem(message, row=1, column=column or _("(tom rubrik)")))
    problems += [
        Problem(_("Frågan saknas i filen."), row=1, column=code)
        for code in items
        if code not in table.columns
    ]
    if problems:
        raise FileProblems(problems)


def _frame_lookup(survey: Survey) -> dict[str, FrameArea]:
    """The frame's sub-areas by code, by "code name" and by name, lower case."""
    lookup: dict[str, FrameArea] = {}
    for frame_area in frame_of(survey).select_related("area"):
        area = frame_area.area
        lookup[area.name.casefold()] = frame_area
        if area.code:
            lookup[area.code.casefold()] = frame_area
            lookup[f"{area.code} {area.name}".casefold()] = frame_area
    return lookup


def _respondent(survey, row, number, items, scales, frame, populated):
    problems: list[Problem] = []
    frame_area = frame.get(row.get(AREA, "").casefold())
    if frame_area is None:
        problems.append(
            Problem(
                _("Delområdet finns inte i urvalsramen: %(v)s.") % {"v": row.get(AREA, "")},
                number,
                AREA,
            )
        )
    sex = SEX_WORDS.get(row.get(SEX, "").casefold())
    if sex is None:
        problems.append(
            Problem(
                _("Kön ska vara kvinna eller man, inte %(v)s.") % {"v": row.get(SEX, "")},
                number,
                SEX,
            )
        )
    group = row.get(AGE_GROUP, "")
    if group not in survey.age_groups:
        problems.append(
            Problem(
                _("Åldersgruppen ska vara en av %(groups)s, inte %(v)s.")
                % {"groups": ", ".join(survey.age_groups), "v": group},
                number,
                AGE_GROUP,
            )
        )
    answers = {}
    for code, item in items.items():
        value = row.get(code, "")
        if not value:
            continue
        if value not in scales[code]:
            codes = ", ".join(o["code"] for o in item.options)
            problems.append(
                Problem(
                    _("Svaret %(v)s finns inte på skalan (%(codes)s).")
                    % {"v": value, "codes": codes},
                    number,
                    code,
                )
            )
        answers[code] = value
    if not problems and (frame_area.pk, str(sex), group) not in populated:
        problems.append(
            Problem(
                _("Cellen %(area)s · %(sex)s · %(group)s har ingen befolkning i urvalsramen.")
                % {"area": frame_area.area.name, "sex": sex.label, "group": group},
                number,
            )
        )
    if problems:
        return None, problems
    comment = scrub(row.get(COMMENT, "")).text if row.get(COMMENT) else ""
    return Respondent(
        survey=survey,
        frame_area=frame_area,
        sex=str(sex),
        age_group=group,
        answers=answers,
        comment=comment,
    ), []
