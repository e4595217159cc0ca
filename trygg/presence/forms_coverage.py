"""The coverage page's forms: the period to analyse, and accepting a suggested shift into the
calendar (a weekly series, planned through the same action as any series)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.places.models import Area, Municipality
from trygg.presence.actions.series import MAX_WEEKS, SeriesInput
from trygg.presence.actions.shifts import MAX_PEOPLE
from trygg.presence.coverage_data import period_errors
from trygg.presence.forms import _date, _group_field, plannable_groups

# The form's fields by the names the period checks use.
PERIOD_FIELDS = {"from": "fran", "to": "till"}


class PeriodForm(forms.Form):
    fran = _date(_("Från och med"), required_message=_("Ange första dagen."))
    till = _date(_("Till och med"), required_message=_("Ange sista dagen."))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for name, messages in period_errors(data.get("fran"), data.get("till")).items():
            for message in messages:
                self.add_error(PERIOD_FIELDS[name], message)
        return data


class SuggestionForm(forms.Form):
    """A suggestion as it was shown (area, weekday, times, next month's weeks, all hidden) and
    what the coordinator chooses: the group and how many go."""

    group = _group_field()
    people = forms.IntegerField(
        label=_("Antal personer"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=2,
        help_text=_("Hur många som går. Bara antalet, aldrig vilka."),
        error_messages={
            "invalid": _("Skriv antalet som en siffra."),
            "required": _("Ange hur många som går passet, minst 1."),
            "min_value": _("Ange hur många som går passet, minst 1."),
            "max_value": _("Högst %(limit_value)s personer på ett pass."),
        },
    )
    # Shown only in the error summary, should a hidden value be refused.
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Välj ett av kommunens områden.")},
    )
    weekday = forms.IntegerField(
        label=_("Veckodag"), min_value=1, max_value=7, widget=forms.HiddenInput
    )
    start_time = forms.TimeField(label=_("Börjar"), widget=forms.HiddenInput)
    end_time = forms.TimeField(label=_("Slutar"), widget=forms.HiddenInput)
    first_day = forms.DateField(label=_("Från och med"), widget=forms.HiddenInput)
    weeks = forms.IntegerField(
        label=_("Antal veckor"), min_value=1, max_value=MAX_WEEKS, widget=forms.HiddenInput
    )

    def __init__(self, *args, municipality: Municipality, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = plannable_groups(user, municipality)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups
        areas = Area.objects.filter(municipality=municipality).defer("geometry")
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas

    def series_input(self) -> SeriesInput:
        data = self.cleaned_data
        return SeriesInput(
            area=data["area"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            first_day=data["first_day"],
            weeks=data["weeks"],
            people=data["people"],
            weekdays=[data["weekday"]],
            note=str(_("Förslag från täckningsanalysen.")),
        )


def initial_for(area_id: int, series: dict) -> dict:
    """A suggestion form's hidden values from `coverage_data.next_month_series`."""
    return {
        "area": area_id,
        "weekday": series["weekday"],
        "start_time": series["start_time"].strftime("%H:%M"),
        "end_time": series["end_time"].strftime("%H:%M"),
        "first_day": cast(dt.date, series["first_day"]).isoformat(),
        "weeks": series["weeks"],
    }
