"""Forms of the follow-up pages: starting the follow-up of a period that has ended, a
commitment's status, and publication. The rules are the actions' (`actions.follow_ups`);
these forms parse, and say in Swedish what cannot be parsed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.promises.figures import not_ended_text
from trygg.promises.models import ENTERED, Commitment, CommitmentState, CommitmentStatus


class OpenFollowUpForm(forms.Form):
    """One of the agreement's periods, from the button beside it ("Starta uppföljning")."""

    first_day = forms.DateField(widget=forms.HiddenInput)
    last_day = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            raise forms.ValidationError(_("Välj en av perioderna i listan."))
        not_ended = not_ended_text(cleaned["last_day"], self.today)
        if not_ended:
            raise forms.ValidationError(not_ended)
        return cleaned


class StatusForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        choices=CommitmentState.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en status."), "invalid_choice": _("Välj en status.")},
    )
    reason = forms.CharField(
        label=_("Skäl"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när åtagandet utgår. Visas för invånarna."),
    )
    value = forms.DecimalField(
        label=_("Värde för perioden"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": _("Skriv värdet som ett tal, t.ex. 14 eller 2,5.")},
    )
    value_source = forms.CharField(
        label=_("Källa"),
        required=False,
        max_length=200,
        help_text=_("Var värdet kommer ifrån, t.ex. tillståndsenhetens register."),
    )
    note = forms.CharField(
        label=_("Intern kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("För parterna. Visas aldrig för invånarna."),
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        if commitment.indicator_kind != ENTERED:
            # A computed value is counted by Trygg when the status is saved; no indicator, no value.
            del self.fields["value"]
            del self.fields["value_source"]
        else:
            self.fields["value_source"].initial = commitment.indicator_source

    @staticmethod
    def initial_for(status: CommitmentStatus | None) -> dict:
        """The saved status; none chosen before a person chooses (the figures only suggest)."""
        if status is None:
            return {}
        return {
            "state": status.state,
            "reason": status.reason,
            "value": status.value,
            "value_source": status.value_source,
            "note": status.note,
        }

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "state": data["state"],
            "reason": data["reason"],
            "value": data.get("value"),
            "value_source": data.get("value_source", ""),
            "note": data["note"],
        }


class PublishForm(forms.Form):
    summary = forms.CharField(
        label=_("Sammanfattning för invånarna"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Några meningar med vanliga ord: hur arbetet har gått under perioden."),
    )
    next_steps = forms.CharField(
        label=_("Vad som händer nu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Krävs. Det invånarna kan vänta sig fram till nästa uppföljning."),
    )
