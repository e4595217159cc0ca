"""Forms of the measure pages and the responsibility rules, each scoped to one municipality
so no select offers a place, area or organisation from elsewhere."""

from __future__ import annotations

from typing import cast

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from trygg.events.models import Category
from trygg.events.queries import category_tree
from trygg.measures.actions.rules import RULE_FIELDS
from trygg.measures.models import (
    PHYSICAL_KINDS,
    Measure,
    MeasureKind,
    ResponsibilityRule,
    Status,
)
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Place


class _CategoryTreeIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category, depth in category_tree():
            yield (self.choice(category)[0], "\u2003" * depth + category.name)


class CategoryChoiceField(forms.ModelChoiceField):
    """The category tree, indented, in tree order (read when the select is drawn)."""

    iterator = _CategoryTreeIterator

    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.all(), **kwargs)


def _scope_fields(form: forms.Form, municipality) -> None:
    """Restrict place, area and organisation choices to `municipality`."""
    fields = form.fields
    if "place" in fields:
        cast(forms.ModelChoiceField, fields["place"]).queryset = Place.objects.filter(
            municipality=municipality
        ).order_by("name")
    if "area" in fields:
        cast(forms.ModelChoiceField, fields["area"]).queryset = (
            Area.objects.current().filter(municipality=municipality).defer("geometry")
        )
    for name in ("responsible", "organisation"):
        if name in fields:
            cast(forms.ModelChoiceField, fields[name]).queryset = Organisation.objects.filter(
                municipality=municipality
            )


class MeasureForm(forms.ModelForm):
    category = CategoryChoiceField(
        label=_("Kategori"), required=False, empty_label=_("Ingen särskild kategori")
    )

    class Meta:
        model = Measure
        fields = ["title", "description", "kind", "category", "place", "area", "due", "cost"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "due": forms.DateInput(attrs={"type": "date"}),
            "cost": forms.NumberInput(attrs={"min": 0, "step": 1}),
        }
        help_texts = {
            "description": _(
                "Vad ska göras och varför. Skriv aldrig namn eller personuppgifter: de tas bort."
            ),
            "place": _("Den plats åtgärden gäller, om den har ett namn i Trygg."),
            "area": _("Eller det område åtgärden gäller."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_fields(self, municipality)
        self.fields["place"].empty_label = _("Ingen särskild plats")
        self.fields["area"].empty_label = _("Hela kommunen")
        # Left out (an older page or a script), the kind stays what it was.
        self.fields["kind"].required = False

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or self.instance.kind or MeasureKind.OTHER

    def clean(self):
        data = super().clean()
        # The action says the same; here the message lands beside the place select.
        if data.get("kind") in PHYSICAL_KINDS and data.get("place") is None:
            self.add_error(
                "place",
                _(
                    "En fysisk åtgärd (kamera, belysning, röjning, klotterskydd, stängsel) måste "
                    "ha en plats. Välj platsen där den finns."
                ),
            )
        return data


class NewMeasureForm(MeasureForm):
    """Creating: also who is responsible and, for coordinators, whether it is decided."""

    responsible = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Föreslå ansvarig utifrån reglerna"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (Status.PROPOSED, Status.AGREED, Status.IN_PROGRESS)],
        initial=Status.PROPOSED,
    )
    events = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta(MeasureForm.Meta):
        fields = [*MeasureForm.Meta.fields]

    def __init__(self, *args, municipality, coordinator: bool, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        if not coordinator:
            # Partners propose; the EST group decides and assigns.
            del self.fields["status"]

    def clean_events(self) -> list[int]:
        raw = self.cleaned_data.get("events") or ""
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Händelselistan går inte att läsa.")) from None


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"))
    reason = forms.CharField(
        label=_("Skäl (krävs för att avbryta)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s, Status(s).label) for s in measure.next_statuses()
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.CANCELLED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Skriv varför åtgärden avbryts."))
        return data


class AssignForm(forms.Form):
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_fields(self, municipality)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Syns för alla samverkanspartner i kommunen. Skriv aldrig namn eller personuppgifter."
        ),
    )


class MeasureFilterForm(forms.Form):
    """The list's filters, read from the query string."""

    STATUS_CHOICES = [
        ("", _("Alla öppna")),
        ("alla", _("Alla")),
        *Status.choices,
        ("forsenade", _("Försenade")),
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    ansvarig = forms.ModelChoiceField(
        label=_("Ansvarig"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Alla organisationer"),
    )
    omrade = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Hela kommunen"),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ansvarig"].queryset = Organisation.objects.filter(municipality=municipality)
        self.fields["omrade"].queryset = (
            Area.objects.current().filter(municipality=municipality).defer("geometry")
        )

    def apply(self, measures):
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or ""
        if status == "":
            measures = measures.open()
        elif status == "forsenade":
            measures = measures.overdue()
        elif status != "alla":
            measures = measures.filter(status=status)
        if data.get("ansvarig"):
            measures = measures.filter(responsible=data["ansvarig"])
        if data.get("omrade"):
            measures = measures.in_area(data["omrade"])
        return measures


class RuleForm(forms.ModelForm):
    category = CategoryChoiceField(
        label=_("Kategori"), required=False, empty_label=_("Alla kategorier")
    )

    class Meta:
        model = ResponsibilityRule
        fields = RULE_FIELDS

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        _scope_fields(self, municipality)
        self.fields["place"].empty_label = _("Alla platser")
        self.fields["area"].empty_label = _("Hela kommunen")


class SuggestionForm(forms.Form):
    """'Who would answer for this?' — try the rules on a category and a place or area."""

    category = CategoryChoiceField(
        label=_("Kategori"), required=False, empty_label=_("Alla kategorier")
    )
    place = forms.ModelChoiceField(
        label=_("Plats"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Ingen särskild plats"),
    )
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Hela kommunen"),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_fields(self, municipality)
