"""Forms of the Trygghetscenter pages: each only parses (and finds the rows it names);
`actions/desk.py` checks and writes. Field names match the actions' error keys, so an action's
error lands on its field."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.citizens.actions.desk import NOTE_MAX_LENGTH
from trygg.citizens.models import Centre, DeskTopic
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Place

NOTE_HINT = _("Skriv aldrig vem som kom — bara vad det gäller.")


def _organisations(municipality_id: int):
    return Organisation.objects.filter(municipality_id=municipality_id).order_by("name")


class DeskCaseForm(forms.Form):
    """The desk's quick form: what, where, who takes it. The place is typed (the browser
    suggests the municipality's places) and found by its name here."""

    topic = forms.ChoiceField(
        label=_("Vad gäller det?"), choices=DeskTopic.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label=_("Plats"),
        required=False,
        max_length=160,
        widget=forms.TextInput(attrs={"list": "desk-places", "autocomplete": "off"}),
        help_text=_("Börja skriva platsens namn och välj bland förslagen, eller välj ett område."),
    )
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Välj område (fylls i från platsen annars)"),
    )
    taken_by = forms.ModelChoiceField(
        label=_("Vem tar ärendet?"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Ingen – klart vid disken"),
    )
    note = forms.CharField(
        label=_("Kort anteckning"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NOTE_HINT,
    )
    visited_on = forms.DateField(
        label=_("Besöksdag"), widget=forms.DateInput(attrs={"type": "date"})
    )
    organisation = forms.ModelChoiceField(
        label=_("Jag för ärendet för"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args, centre: Centre, staffing_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        municipality_id = centre.municipality_id
        area = cast(forms.ModelChoiceField, self.fields["area"])
        area.queryset = (
            Area.objects.current()
            .filter(municipality_id=municipality_id)
            .defer("geometry")
            .order_by("name")
        )
        taken_by = cast(forms.ModelChoiceField, self.fields["taken_by"])
        taken_by.queryset = _organisations(municipality_id)
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = Organisation.objects.filter(pk__in=staffing_ids).order_by("name")
        if len(staffing_ids) < 2:
            # One organisation: nothing to choose, so no field to tab past in the queue.
            del self.fields["organisation"]

    def clean_place(self) -> Place | None:
        name = self.cleaned_data.get("place", "").strip()
        if not name:
            return None
        found = list(
            Place.objects.filter(municipality_id=self.centre.municipality_id, name__iexact=name)
        )
        if not found:
            raise forms.ValidationError(_("Ingen plats i kommunen heter så."))
        self._places_named = found
        return found[0]

    def clean(self):
        data = super().clean()
        found = getattr(self, "_places_named", [])
        if len(found) > 1:
            # Two playgrounds may share a name: the area tells them apart.
            area = data.get("area")
            in_area = [place for place in found if area is not None and place.area_id == area.pk]
            if len(in_area) == 1:
                data["place"] = in_area[0]
            else:
                self.add_error("place", _("Flera platser heter så: välj också område."))
        return data


class CloseCaseForm(forms.Form):
    note = forms.CharField(
        label=_("Vad gjorde ni?"),
        required=False,  # the action says it is required, in Swedish, and writes nothing
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skriv aldrig namn eller personuppgifter: de tas bort."),
    )


class ReturnCaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför är ärendet inte ert?"),
        required=False,  # the action says it is required, in Swedish, and writes nothing
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Ärendet går tillbaka till trygghetscentret, som skickar det vidare. Skriv aldrig "
            "namn eller personuppgifter: de tas bort."
        ),
    )


class ReassignForm(forms.Form):
    taken_by = forms.ModelChoiceField(
        label=_("Skicka till"),
        queryset=Organisation.objects.none(),
        empty_label=_("Välj organisation"),
    )

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["taken_by"])
        field.queryset = _organisations(municipality_id)


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=120, required=False)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisationer på plats"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Deras personal för ärenden vid disken."),
    )
    is_active = forms.BooleanField(label=_("Öppet"), required=False, initial=True)

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])
        field.queryset = _organisations(municipality_id)
