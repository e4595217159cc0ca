"""A survey figure as a reader should see it: the value with its interval, "för få svar"
instead of a number from too few answers, and a change in words that say when it is within
the noise."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trygg.analysis.survey import Change, Estimate

register = template.Library()
DASH = "–"


def _index(value: float) -> str:
    return number_format(value, 2)


def _percent(value: float) -> str:
    return f"{number_format(100 * value, 0)} %"


def _figure(estimate: Estimate | None, show) -> str:
    if estimate is None:
        return ""
    if estimate.too_few or estimate.value is None:
        return _("för få svar")
    if estimate.low is None or estimate.high is None:
        return show(estimate.value)
    return f"{show(estimate.value)} ({show(estimate.low)}{DASH}{show(estimate.high)})"


@register.filter
def index_figure(estimate: Estimate | None) -> str:
    """ "1,42 (1,31–1,53)": the 0–6 index and its 95 % interval."""
    return _figure(estimate, _index)


@register.filter
def share_figure(estimate: Estimate | None) -> str:
    """ "23 % (19–27 %)": the share and its 95 % interval."""
    return _figure(estimate, _percent)


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else _percent(value)


@register.filter
def index_change(result: Change | None) -> str:
    return _change(result, _index)


@register.filter
def share_change(result: Change | None) -> str:
    return _change(result, lambda v: f"{number_format(100 * v, 0)} {_('procentenheter')}")


def _change(result: Change | None, show) -> str:
    if result is None or result.difference is None:
        return ""
    if result.within_noise:
        return _("ingen säker förändring (%(d)s)") % {"d": _signed(result.difference, show)}
    direction = _("högre") if result.difference > 0 else _("lägre")
    return f"{_signed(result.difference, show)} {direction}"


def _signed(value: float, show) -> str:
    text = show(abs(value))
    if not any(digit in text for digit in "123456789"):
        return text  # rounds to nothing: "0 procentenheter", not "−0"
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)
