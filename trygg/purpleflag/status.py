"""What is done and what is missing for a Purple Flag year's application, and when the renewal
is due: the status page and its printout read this list, so they say the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from trygg.organisations.shards import children, linked
from trygg.purpleflag.models import STEP_ORDER, Certification, Step
from trygg.purpleflag.zones import FOCUS_AREAS, ZONES, FocusArea
from trygg.walks.models import Walk

# The renewal is flagged as coming this long before it is due.
RENEWAL_WARNING = dt.timedelta(days=90)


@dataclass(frozen=True)
class Check:
    key: str
    done: bool
    text: str


def checks(certification: Certification, today: dt.date) -> list[Check]:
    cells = len(ZONES) * len(FOCUS_AREAS)
    # Each query names the year's municipality, so that Citus sends it to one shard.
    scored = children(certification, "assessments").filter(score__isnull=False).count()
    walks = list(linked(certification, "walks"))
    walked = [w for w in walks if w.status != Walk.Status.PLANNED]
    tagged = set(children(certification, "measure_tags").values_list("focus_area", flat=True))
    missing = [str(FocusArea(code).label) for code in FOCUS_AREAS if code not in tagged]
    reached = STEP_ORDER.index(certification.step)
    return [
        Check(
            "assessment",
            scored == cells,
            _("Egen bedömning: %(scored)s av %(cells)s rutor har poäng.")
            % {"scored": scored, "cells": cells},
        ),
        Check(
            "walk",
            bool(walked),
            _("Kvällsvandring genomförd: %(n)s av %(linked)s kopplade.")
            % {"n": len(walked), "linked": len(walks)},
        ),
        Check(
            "measures",
            not missing,
            _("Åtgärder i alla fem fokusområden.")
            if not missing
            else _("Åtgärder saknas för: %(areas)s.") % {"areas": ", ".join(missing)},
        ),
        Check(
            "submitted",
            reached >= STEP_ORDER.index(Step.SUBMITTED),
            _submitted_text(certification),
        ),
        Check(
            "visit",
            reached >= STEP_ORDER.index(Step.VISIT),
            _("Bedömningsbesök %(day)s.") % {"day": certification.visit_on}
            if certification.visit_on
            else _("Bedömningsbesöket är inte bokat."),
        ),
        Check("decision", certification.step == Step.CERTIFIED, _decision_text(certification)),
    ]


def _decision_text(certification: Certification) -> str:
    day = certification.decided_on
    if certification.step == Step.CERTIFIED:
        return _("Certifierad %(day)s.") % {"day": day}
    if certification.step == Step.NOT_CERTIFIED:
        return _("Ej certifierad %(day)s.") % {"day": day}
    return _("Beslutet om certifiering är inte fattat.")


def _submitted_text(certification: Certification) -> str:
    if certification.submitted_on:
        return _("Ansökan inskickad %(day)s.") % {"day": certification.submitted_on}
    if certification.application_due:
        return _("Ansökan ej inskickad. Sista dag: %(day)s.") % {
            "day": certification.application_due
        }
    return _("Ansökan ej inskickad.")


def renewal(certification: Certification, today: dt.date) -> dict | None:
    """When the certification in force must be renewed, and whether that is near or past: the
    year's own date once it is certified, else that of the area's latest certified earlier year
    (this year's work is then its renewal); None when there is none."""
    source = certification
    if certification.renewal_due is None:
        earlier = (
            # An area lies in one municipality: naming it sends the query to one shard.
            Certification.objects.filter(
                municipality_id=certification.municipality_id,
                area=certification.area_id,
                year__lt=certification.year,
                step=Step.CERTIFIED,
                renewal_due__isnull=False,
            )
            .order_by("-year")
            .first()
        )
        if earlier is None:
            return None
        source = earlier
    days = source.renewal_days(today)
    assert days is not None  # noqa: S101 -- renewal_due is set on both
    return {
        "due": source.renewal_due,
        "days": days,
        "overdue": days < 0,
        "near": 0 <= days <= RENEWAL_WARNING.days,
        "of_year": source.year,
    }


def is_application_overdue(certification: Certification, today: dt.date) -> bool:
    due = certification.application_due
    return bool(due and due < today and certification.submitted_on is None)
