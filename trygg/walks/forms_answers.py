"""Forms of the pages after the walk: the coordinator's review (who is responsible, photo
moderation, rejecting a finding), sending the protocol, and a manager's answer per finding.
Each form only parses; the actions in `walks/actions/` check and write."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.events.models import Status as EventStatus
from trygg.organisations.models import Organisation
from trygg.walks.models import Answer, FindingPhoto


class ResponsibleForm(forms.Form):
    """Who answers for one finding: an organisation of the walk's municipality."""

    responsible = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Välj organisation"),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["responsible"])
        field.queryset = Organisation.objects.filter(municipality=municipality).order_by("name")


class PhotoReviewForm(forms.Form):
    review = forms.ChoiceField(
        label=_("Granskning av fotot"),
        choices=FindingPhoto.Review.choices,
        widget=forms.RadioSelect,
    )


class FindingStatusForm(forms.Form):
    """The finding's event status, as the events app's review sets it."""

    status = forms.ChoiceField(label=_("Status för iakttagelsen"), choices=EventStatus.choices)


class SendForm(forms.Form):
    note = forms.CharField(
        label=_("Vad som har ändrats sedan förra versionen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs för ett reviderat protokoll. Skriv aldrig namn eller personuppgifter."),
    )


class AnswerForm(forms.Form):
    """One organisation's answer to one finding."""

    kind = forms.ChoiceField(
        label=_("Ert svar"), choices=Answer.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Vad ni gör, eller varför inte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Krävs om ni åtgärdar, inte åtgärdar eller om det inte är ert ansvar. "
            "Skriv aldrig namn eller personuppgifter: de tas bort."
        ),
    )
    due = forms.DateField(
        label=_("Klart senast"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Krävs om ni åtgärdar."),
    )

    @classmethod
    def initial_for(cls, answer: Answer | None) -> dict:
        if answer is None:
            return {}
        return {"kind": answer.kind, "text": answer.text, "due": answer.due}
