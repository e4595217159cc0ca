"""The public report form: a municipality (or none: the position decides), a position by map,
geolocation, typed coordinates or a named place, a resident category, a description, photos
and an optional address for status mails. Everything is checked again by `submit_report`."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.citizens.actions.reports import MAX_PHOTOS, ReportInput
from trygg.citizens.receiving import receiving_municipalities, receiving_municipality
from trygg.places.models import Municipality, Place

# A select without JavaScript must stay usable on a phone: the search endpoint finds the rest.
PLACE_SELECT_LIMIT = 300


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to three photos in one input; the action cleans and checks each."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Högst %(count)s foton.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        return list(files)


class MunicipalityField(forms.ModelChoiceField):
    """A receiving municipality by its code. The form has looked the code up already (it picks
    the places to choose from): that answer is used rather than asking the database again."""

    found: Municipality | None = None

    def to_python(self, value):
        if self.found is not None and str(value) == self.found.code:
            return self.found
        return super().to_python(value)


class ResidentReportForm(forms.Form):
    kommun = MunicipalityField(
        label=_("Kommun"),
        queryset=Municipality.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Positionen avgör"),
        help_text=_("Välj bara om positionen inte räcker, till exempel om du väljer en plats."),
    )
    lat = forms.FloatField(label=_("Latitud"), required=False, localize=True)
    lon = forms.FloatField(label=_("Longitud"), required=False, localize=True)
    place = forms.ModelChoiceField(
        label=_("Eller välj en namngiven plats"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Ingen vald"),
    )
    # Checked by the action with the rest, so one answer names every mistake; the page draws
    # the choices itself, each with its hint.
    category = forms.CharField(label=_("Vad gäller det?"), required=False, max_length=20)
    description = forms.CharField(
        label=_("Beskriv vad du har sett"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv vad och var, aldrig vem. Namn och telefonnummer tas bort."),
    )
    photos = MultiplePhotoField(
        label=_("Foton (högst tre)"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*"}),
        help_text=_("Bilderna granskas innan någon annan ser dem. Platsdata i bilden tas bort."),
    )
    email = forms.EmailField(
        label=_("Din e-post (frivilligt)"),
        required=False,
        help_text=_(
            "Används bara för att skicka besked när rapportens status ändras. Adressen visas "
            "inte för någon och raderas när rapporten avslutas, senast efter 90 dagar."
        ),
        error_messages={"invalid": _("E-postadressen ser inte ut att stämma.")},
    )
    # The honeypot: hidden from people (and from screen readers), filled in by robots.
    website = forms.CharField(label=_("Lämna tomt"), required=False)

    def __init__(self, *args, municipality: Municipality | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field_kommun = cast(MunicipalityField, self.fields["kommun"])
        field_kommun.queryset = receiving_municipalities()
        chosen = municipality or self._chosen_municipality()
        # Only what the field's own queryset answered stands in for its lookup.
        field_kommun.found = chosen if municipality is None else None
        if chosen is not None:
            places = Place.objects.filter(municipality=chosen).order_by("name")
            field = cast(forms.ModelChoiceField, self.fields["place"])
            field.queryset = places
            # Validation looks in all the municipality's places; the select lists the first.
            # A callable is read only when the select is drawn: a report sent without errors
            # never pays for the list.
            empty_label = field.empty_label
            field.choices = lambda: (
                [("", empty_label)]
                + [
                    (place.pk, place.name)
                    for place in places.only("pk", "name")[:PLACE_SELECT_LIMIT]
                ]
            )
        self.municipality = chosen

    def _chosen_municipality(self) -> Municipality | None:
        code = (self.data or {}).get("kommun") or (self.initial or {}).get("kommun")
        if not code:
            return None
        return receiving_municipality(str(code))

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        cleaned = super().clean()
        has_position = cleaned.get("lat") is not None and cleaned.get("lon") is not None
        if not has_position and not cleaned.get("place") and "place" not in self.errors:
            self.add_error(
                "lat",
                _("Välj var det är: tryck på kartan, använd din position eller välj en plats."),
            )
        return cleaned

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        place = data.get("place")
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None:
            assert place is not None  # noqa: S101 -- clean() asked for a position or a place
            lat, lon = place.lat, place.lon
        return ReportInput(
            lat=lat,
            lon=lon,
            category_code=data.get("category") or "",
            description=data.get("description") or "",
            photos=data.get("photos") or [],
            email=data.get("email") or "",
            place_id=place.pk if place is not None else None,
        )
