"""The Purple Flag pages' forms. They parse; the actions check the whole and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.measures.models import Measure
from trygg.places.models import Area, Municipality
from trygg.purpleflag.actions import (
    CellInput,
    CertificationInput,
    StepInput,
    cell_key,
)
from trygg.purpleflag.models import Step
from trygg.purpleflag.zones import FOCUS_AREAS, SCALE_MAX, ZONES, FocusArea
from trygg.walks.models import ChecklistTemplate, Walk

DATE_FORMAT = _("Skriv datumet som 2026-11-27.")


def _date(label, help_text="", required_message=None):
    messages = {"invalid": DATE_FORMAT}
    if required_message:
        messages["required"] = required_message
    return forms.DateField(
        label=label,
        required=required_message is not None,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=messages,
    )


class CertificationForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Stadskärnan eller det område som ska certifieras."),
        error_messages={
            "invalid_choice": _("Området ligger inte i kommunen: välj ett av kommunens områden.")
        },
    )
    year = forms.IntegerField(
        label=_("År"),
        required=False,
        error_messages={"invalid": _("Ange året som ett årtal, till exempel 2026.")},
    )
    starts_on = _date(_("Arbetet börjar"), required_message=_("Ange när arbetet börjar."))
    application_due = _date(_("Sista dag för ansökan"), _("Tomt: inte bestämt än."))
    notes = forms.CharField(
        label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, municipality: Municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(municipality=municipality).current().defer("geometry")
        self.fields["area"].queryset = areas.order_by("name")  # type: ignore[attr-defined]

    def to_input(self) -> CertificationInput:
        data = self.cleaned_data
        return CertificationInput(
            area=data["area"],
            year=data["year"],
            starts_on=data["starts_on"],
            application_due=data["application_due"],
            notes=data["notes"],
        )


class StepForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Steg"),
        choices=Step.choices,
        error_messages={"invalid_choice": _("Välj ett av stegen i listan.")},
    )
    submitted_on = _date(_("Ansökan inskickad"))
    visit_on = _date(_("Bedömningsbesök"))
    decided_on = _date(_("Beslut"))
    renewal_due = _date(_("Förnyelse senast"), _("Tomt vid certifiering: ett år efter beslutet."))

    def to_input(self) -> StepInput:
        return StepInput(**self.cleaned_data)


class AssessmentForm(forms.Form):
    """One score (0–3, empty: not assessed) and one note per focus area and time zone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in FOCUS_AREAS:
            for zone in ZONES:
                label = f"{FocusArea(code).label}, {zone.replace('-', '–')}"
                self.fields[cell_key(code, zone)] = forms.IntegerField(
                    label=_("Poäng: %(cell)s") % {"cell": label},
                    required=False,
                    widget=forms.NumberInput(attrs={"min": 0, "max": SCALE_MAX}),
                    error_messages={
                        "invalid": _("Poängen ska vara ett heltal från 0 till %(max)s.")
                        % {"max": SCALE_MAX}
                    },
                )
                self.fields[f"note-{code}-{zone}"] = forms.CharField(
                    label=_("Anteckning: %(cell)s") % {"cell": label},
                    required=False,
                    max_length=300,
                )

    @staticmethod
    def initial_from(grid: dict) -> dict:
        initial = {}
        for row in grid["rows"]:
            for cell in row["cells"]:
                initial[cell_key(row["focus_area"], cell["zone"])] = cell["score"]
                initial[f"note-{row['focus_area']}-{cell['zone']}"] = cell["note"]
        return initial

    def rows(self):
        """The bound fields in the grid's order, for the template."""
        return [
            {
                "label": FocusArea(code).label,
                "cells": [
                    (self[cell_key(code, zone)], self[f"note-{code}-{zone}"]) for zone in ZONES
                ],
            }
            for code in FOCUS_AREAS
        ]

    def to_cells(self) -> list[CellInput]:
        data = self.cleaned_data
        return [
            CellInput(code, zone, data[cell_key(code, zone)], data[f"note-{code}-{zone}"])
            for code in FOCUS_AREAS
            for zone in ZONES
        ]


class WalkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.walk_at:%Y-%m-%d})"


class WalkForm(forms.Form):
    walk = WalkChoiceField(
        label=_("Kvällsvandring"),
        queryset=Walk.objects.none(),
        error_messages={
            "required": _("Välj en vandring."),
            "invalid_choice": _("Välj en kvällsvandring med Purple Flags checklista."),
        },
    )

    def __init__(self, municipality: Municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        walks = Walk.objects.filter(
            municipality=municipality, template__kind=ChecklistTemplate.Kind.PURPLE_FLAG
        ).order_by("-walk_at")
        self.fields["walk"].queryset = walks  # type: ignore[attr-defined]


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.get_status_display()})"


class TagForm(forms.Form):
    measure = MeasureChoiceField(
        label=_("Åtgärd"),
        queryset=Measure.objects.none(),
        error_messages={
            "required": _("Välj en åtgärd."),
            "invalid_choice": _("Åtgärden hör till en annan kommun."),
        },
    )
    focus_area = forms.ChoiceField(
        label=_("Fokusområde"),
        choices=FocusArea.choices,
        error_messages={"invalid_choice": _("Välj ett av de fem fokusområdena.")},
    )

    def __init__(self, municipality: Municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measures = Measure.objects.filter(municipality=municipality).order_by("title", "pk")
        self.fields["measure"].queryset = measures  # type: ignore[attr-defined]
