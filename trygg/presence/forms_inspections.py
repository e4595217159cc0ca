"""The krogtillsyn pages' forms, each scoped to one municipality. They parse; the actions
check the whole and say what is wrong, so the pages and the API give the same messages."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.places.models import Municipality, Place
from trygg.presence.actions.inspections import FindingInput, InspectionInput, finding_categories
from trygg.presence.actions.premises import LicenceInput
from trygg.presence.forms import WEEKDAY_CHOICES, _date, _time
from trygg.presence.models import InspectionKind, Premise

# Findings on the form at once; more can be added on the inspection's page.
FINDING_ROWS = 3
NO_PEOPLE = _("Beskriv vad som sågs, aldrig vem: inga namn, personnummer eller telefonnummer.")


def _until_fields() -> dict[str, forms.Field]:
    return {
        f"until_{day}": _time(
            _("Servering till, %(day)s") % {"day": name},
            _("Tomt: ingen servering den dagen.") if day == 1 else "",
        )
        for day, name in WEEKDAY_CHOICES
    }


class LicenceForm(forms.Form):
    """A serveringstillstånd: the holder (a company), its period and the hours per weekday."""

    holder = forms.CharField(
        label=_("Tillståndshavare"),
        required=False,
        max_length=160,
        help_text=_("Bolagets namn, aldrig en person."),
    )
    valid_from = _date(_("Gäller från"), required_message=_("Ange från vilken dag det gäller."))
    valid_to = _date(_("Gäller till och med"), _("Tomt: tills vidare."))
    serving_from = _time(_("Servering från"), required_message=_("Ange när serveringen börjar."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"serving_from": dt.time(11, 0)})
        super().__init__(*args, **kwargs)
        self.fields.update(_until_fields())

    def until_fields(self):
        return [self[f"until_{day}"] for day, _name in WEEKDAY_CHOICES]

    def licence_input(self) -> LicenceInput:
        data = self.cleaned_data
        return LicenceInput(
            holder=data["holder"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            serving_from=data["serving_from"],
            serving_until=[data[f"until_{day}"] for day, _name in WEEKDAY_CHOICES],
        )


class PremiseForm(LicenceForm):
    """A new premise with its first licence."""

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        places = Place.objects.filter(municipality=municipality).order_by("name")
        self.fields = {
            "place": forms.ModelChoiceField(
                label=_("Plats"),
                queryset=places,
                required=False,
                empty_label=_("Välj plats"),
                help_text=_("Gatan, torget eller kvarteret där serveringsstället ligger."),
                error_messages={"invalid_choice": _("Välj en av kommunens platser.")},
            ),
            "name": forms.CharField(label=_("Serveringsställets namn"), max_length=120),
        } | self.fields
        self.fields["name"].error_messages["required"] = _("Ge serveringsstället ett namn.")


def _choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _organisations(municipality: Municipality):
    return Organisation.objects.filter(municipality=municipality).order_by("name")


class InspectionForm(forms.Form):
    """A held inspection with up to FINDING_ROWS findings."""

    premise = forms.ModelChoiceField(
        label=_("Serveringsställe"),
        queryset=Premise.objects.none(),
        required=False,
        empty_label=_("Välj serveringsställe"),
        error_messages={"invalid_choice": _("Välj ett av kommunens serveringsställen.")},
    )
    day = _date(_("Dag"), required_message=_("Ange vilken dag tillsynen gjordes."))
    time = _time(_("Klockslag"), required_message=_("Ange när tillsynen gjordes."))
    kind = forms.ChoiceField(label=_("Inriktning"), choices=InspectionKind.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Deltagande organisationer"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.ModelChoiceField(
        label=_("Registreras av"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("Fynden blir den organisationens händelser."),
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, municipality: Municipality, user, **kwargs):
        super().__init__(*args, **kwargs)
        premises = Premise.objects.filter(municipality=municipality)
        _choice(self, "premise").queryset = premises
        _choice(self, "organisations").queryset = _organisations(municipality)
        writes = access_for(user).reporting_organisation_ids()
        mine = _organisations(municipality)
        _choice(self, "organisation").queryset = (
            mine if access_for(user).is_superuser else mine.filter(pk__in=writes)
        )
        categories = [("", _("Inget fynd"))] + [
            (c.pk, c.name_sv) for c in finding_categories().order_by("sort_order")
        ]
        for i in range(1, FINDING_ROWS + 1):
            self.fields[f"finding_{i}"] = forms.TypedChoiceField(
                label=_("Fynd %(n)s") % {"n": i},
                choices=categories,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"finding_text_{i}"] = forms.CharField(
                label=_("Vad som sågs, fynd %(n)s") % {"n": i},
                required=False,
                help_text=NO_PEOPLE if i == 1 else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def finding_rows(self):
        return [(self[f"finding_{i}"], self[f"finding_text_{i}"]) for i in range(1, 4)]

    def inspection_input(self) -> InspectionInput:
        data = self.cleaned_data
        tz = timezone.get_default_timezone()
        categories = {c.pk: c for c in finding_categories()}
        findings = [
            FindingInput(categories.get(data[f"finding_{i}"]), data[f"finding_text_{i}"])
            for i in range(1, FINDING_ROWS + 1)
            if data[f"finding_{i}"] is not None
        ]
        return InspectionInput(
            starts_at=dt.datetime.combine(data["day"], data["time"], tzinfo=tz),
            kind=data["kind"],
            organisations=list(data["organisations"]),
            organisation=data["organisation"],
            note=data["note"],
            findings=findings,
        )


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Åtgärd"), max_length=200)
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Bestäms av EST-gruppen"),
    )
    due = _date(_("Klar senast"))
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "responsible").queryset = _organisations(municipality)
        self.fields["title"].error_messages["required"] = _("Ge åtgärden en rubrik.")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("År"), error_messages={"required": _("Ange ett år.")})
    target_per_month = forms.IntegerField(
        label=_("Mål: tillsyner per månad"),
        error_messages={"required": _("Ange målet per månad."), "invalid": _("Skriv en siffra.")},
    )
