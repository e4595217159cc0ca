"""Creating a survey: which municipality, year and questionnaire version, its age groups."""

from __future__ import annotations

from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.audit import record_created
from trygg.surveys.actions.frame import check_may_manage, parse_age
from trygg.surveys.models import DEFAULT_AGE_GROUPS, Questionnaire, Survey

FIRST_YEAR = 2000


@transaction.atomic
def create_survey(
    *,
    municipality,
    questionnaire: Questionnaire,
    year: int,
    name: str,
    age_groups: list[str] | None = None,
    acting_user,
    this_year: int,
) -> Survey:
    survey = Survey(
        municipality=municipality,
        questionnaire=questionnaire,
        year=year,
        name=name.strip(),
        age_groups=list(age_groups or DEFAULT_AGE_GROUPS),
    )
    check_may_manage(acting_user, survey)
    errors = {}
    if not FIRST_YEAR <= year <= this_year:
        errors["year"] = _("Året ska vara mellan %(first)s och %(last)s.") % {
            "first": FIRST_YEAR,
            "last": this_year,
        }
    if not survey.name:
        errors["name"] = _("Ge undersökningen ett namn.")
    elif Survey.objects.filter(municipality=municipality, year=year, name=survey.name).exists():
        errors["name"] = _("Kommunen har redan en undersökning med det namnet det året.")
    problem = age_group_problem(survey.age_groups)
    if problem:
        errors["age_groups"] = problem
    if errors:
        raise ValidationError(errors)
    survey.created_by = acting_user
    survey.save()
    record_created(acting_user, survey, ["municipality_id", "questionnaire_id", "year", "name"])
    return survey


def age_group_problem(groups: list[str]) -> str | None:
    """Why the age groups cannot be used, or None: each "låg-hög", in order, not overlapping."""
    bands = [parse_age(group) for group in groups]
    if not groups or any(band is None or band[0] > band[1] for band in bands):
        return _("Åldersgrupperna skrivs som 16-24, 25-44 …")
    ordered = [band for band in bands if band is not None]
    if any(high >= next_low for (_low, high), (next_low, _h) in pairwise(ordered)):
        return _("Åldersgrupperna ska komma i ordning utan att överlappa.")
    return None
