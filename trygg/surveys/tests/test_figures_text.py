"""How a figure and a change read on the page: the interval with the value, "för få svar",
and a change that rounds to nothing has no sign."""

from __future__ import annotations

from django.utils import translation

from trygg.analysis.survey import Change, Estimate
from trygg.surveys.templatetags.survey_figures import (
    index_change,
    index_figure,
    share_change,
    share_figure,
)


def test_a_figure_reads_with_its_interval_or_too_few():
    with translation.override("sv"):
        assert index_figure(Estimate(1.42, 0.05, 1.31, 1.53, 400, False, 380)) == (
            "1,42 (1,31–1,53)"
        )
        assert share_figure(Estimate(0.23, 0.02, 0.19, 0.27, 400, False, 380)) == "23 % (19 %–27 %)"
        assert index_figure(Estimate(None, None, None, None, 12, True, 10)) == "för få svar"


def test_a_change_says_its_direction_or_that_it_is_within_the_noise():
    with translation.override("sv"):
        assert index_change(Change(-0.4, 0.15, -0.7, -0.1, False)) == "−0,40 lägre"
        assert share_change(Change(0.001, 0.02, -0.04, 0.04, True)) == (
            "ingen säker förändring (0 procentenheter)"
        )
        assert index_change(Change(0.12, 0.1, -0.08, 0.32, True)) == (
            "ingen säker förändring (+0,12)"
        )
