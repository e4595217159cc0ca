"""A commitment's figures at a follow-up in plain Swedish: the indicator's value for the
period, the target's window so far, the state the figures suggest and, for "fewer than
before", the verdict against the baseline.

The figures are the JSON `actions.follow_ups.computed_figures` returns and a CommitmentStatus
keeps. Staff read every figure. Residents read them with a `threshold`: a count of events is
then shown through `analysis.suppression` ("färre än 3"), and nothing is shown that would let
a reader work a suppressed count out (the baseline's count, what the baseline leads one to
expect, the target window's running total, the months that met a per-month limit). A count of
walks, dialogues or measures done is of things the partners did, not of incidents, and is
shown as it is (as the public walks show their findings).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from trygg.analysis.suppression import FEW, RANGE, suppress
from trygg.measures import indicators
from trygg.measures.indicators import EVENTS
from trygg.promises.models import CommitmentState


def number(value: int | float | Decimal, decimals: int = 0) -> str:
    """A figure as a Swedish reader writes it: 2,7; whole numbers without decimals."""
    if isinstance(value, Decimal):  # as entered: 14,5 is 14,5 (the column keeps 14.50)
        if value == value.to_integral_value():
            return number_format(int(value), use_l10n=True)
        places = -int(value.normalize().as_tuple().exponent)
        return number_format(value, decimal_pos=places, use_l10n=True)
    if isinstance(value, int):
        return number_format(value, use_l10n=True)
    return number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True)


def day_words(day: dt.date) -> str:
    return date_format(day, "j F Y")


def period_words(first: dt.date, last: dt.date) -> str:
    """ "1 september–31 december 2023"; the year once when both days are in it."""
    if first.year == last.year:
        return f"{date_format(first, 'j F')}–{date_format(last, 'j F Y')}"
    return f"{day_words(first)}–{day_words(last)}"


def not_ended_text(last_day: dt.date, today: dt.date) -> str:
    """Why a period cannot be followed up yet, or "" once it has ended: a follow-up of a
    period still running would count only part of it."""
    if last_day < today:
        return ""
    return _("Perioden är inte slut än: uppföljningen startas efter %(last)s.") % {
        "last": day_words(last_day)
    }


def few_text(threshold: int) -> str:
    return _("färre än %(threshold)s") % {"threshold": threshold}


def count_text(value: int, threshold: int | None) -> str:
    """A count of events as published: exact, or "färre än N" below the threshold."""
    if threshold is None:
        return number(value)
    shown = suppress([value], threshold)
    if shown.state == FEW:
        return few_text(threshold)
    if shown.state == RANGE:  # pragma: no cover -- one cell is never a range
        return f"{shown.low}–{shown.high}"
    return number(value)


def verdict_words(verdict: str) -> str:
    return {
        "fewer": _(
            "Färre än under jämförelseperioden, och skillnaden är större än vad slumpen brukar ge."
        ),
        "more": _(
            "Fler än under jämförelseperioden, och skillnaden är större än vad slumpen brukar ge."
        ),
        "no_clear_change": _(
            "Ingen säker skillnad mot jämförelseperioden: skillnaden kan vara slump."
        ),
        "too_few": _("För få för att säga om det har blivit färre än under jämförelseperioden."),
    }.get(verdict, "")


def state_words(state: str | None) -> str:
    if not state:
        return _("Siffrorna räcker inte för ett förslag.")
    return _("Siffrorna föreslår: %(state)s.") % {"state": CommitmentState(state).label}


def figure_lines(figures: dict, *, threshold: int | None = None) -> list[str]:
    """The figures as sentences; with a threshold, as residents may read them."""
    if not figures:
        return []
    key = figures.get("kind", "")
    kind = indicators.kind(key)
    unit = str(kind.unit) if kind is not None else ""
    public = threshold is not None
    events = key == EVENTS.key
    hidden = public and events  # a count of events: only the suppressed period value
    lines = []
    period = figures.get("period") or {}
    if "value" in period:
        shown = count_text(period["value"], threshold if events else None)
        lines.append(_("Under perioden: %(value)s %(unit)s.") % {"value": shown, "unit": unit})
    baseline = period.get("baseline")
    if baseline and not public:
        lines.append(
            _(
                "Jämförelseperioden: %(count)s %(unit)s på %(days)s dagar; i samma takt hade "
                "%(expected)s väntats under perioden."
            )
            % {
                "count": number(baseline["count"]),
                "unit": unit,
                "days": baseline["days"],
                "expected": number(baseline["expected"], 1),
            }
        )
    target = figures.get("target")
    if target:
        lines += _target_lines(target, unit, hidden=hidden, public=public)
    return lines


def _target_lines(target: dict, unit: str, *, hidden: bool, public: bool) -> list[str]:
    lines = []
    if target.get("verdict"):
        lines.append(verdict_words(target["verdict"]))
    elif target.get("months_met"):
        if not hidden:
            met, months = target["months_met"]
            lines.append(
                _("Målet nåddes %(met)s av %(months)s månader.") % {"met": met, "months": months}
            )
    elif not hidden:
        first, last = (dt.date.fromisoformat(day) for day in target["window"])
        line = _("%(period)s: %(value)s %(unit)s.") % {
            "period": period_words(first, last),
            "value": number(target["value"]),
            "unit": unit,
        }
        if target.get("expected") is not None:
            line += " " + _("Målet motsvarar %(expected)s för samma tid.") % {
                "expected": number(target["expected"], 1)
            }
        lines.append(line)
    if not public:
        lines.append(state_words(target.get("suggested")))
    return lines
