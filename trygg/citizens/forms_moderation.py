"""Forms of the moderation page: each only parses; `actions/moderation.py` checks and writes.
Field names match the actions' error keys, so an action's error lands on its field."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.citizens.categories import CHOICES
from trygg.citizens.models import CitizenReport, Outcome, ReportPhoto
from trygg.organisations.models import Organisation

NO_PII = _("Skriv aldrig namn eller personuppgifter: de tas bort.")


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl att dölja rapporten"),
        required=False,  # the action says it is required, in Swedish, and writes nothing
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Syns för kommunen och i beskedet till den som rapporterade. "
            "Skriv aldrig namn eller personuppgifter: de tas bort."
        ),
    )


class DuplicateForm(forms.Form):
    """The original, chosen among open reports nearby (`duplicate_candidates`)."""

    original = forms.TypedChoiceField(
        label=_("Samma sak som"), coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, candidates: list[CitizenReport], **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["original"])
        field.choices = [("", _("Välj rapport"))] + [
            (str(report.pk), _label(report)) for report in candidates
        ]


def _label(report: CitizenReport) -> str:
    where = report.event.place.name if report.event.place else ""
    day = f"{report.created_at:%Y-%m-%d}"
    text = f"#{report.pk} {report.get_resident_category_display()}, {day}"
    return f"{text}, {where}" if where else text


class CorrectForm(forms.Form):
    category = forms.ChoiceField(label=_("Vad gäller det"), choices=CHOICES)
    lat = forms.FloatField(label=_("Latitud (WGS 84)"), required=False)
    lon = forms.FloatField(label=_("Longitud (WGS 84)"), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Ange både latitud och longitud, eller ingen av dem."))
        return data


class DescriptionForm(forms.Form):
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ta bort det som inte ska stå där. Den borttagna texten sparas ingenstans, "
            "inte heller i historiken."
        ),
    )


class RouteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Skicka till"),
        queryset=Organisation.objects.none(),
        empty_label=_("Välj organisation"),
    )

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.filter(municipality_id=municipality_id).order_by(
            "name"
        )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hur slutade det"),
        choices=[("", _("Välj utfall")), *Outcome.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Besked till den som rapporterade"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PII,
    )


class PhotoReviewForm(forms.Form):
    review = forms.ChoiceField(
        label=_("Granskning av fotot"),
        choices=[
            (ReportPhoto.Review.APPROVED, ReportPhoto.Review.APPROVED.label),
            (ReportPhoto.Review.REJECTED, ReportPhoto.Review.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
