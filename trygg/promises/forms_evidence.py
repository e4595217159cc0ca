"""The forms of a problem area's evidence page: the period, the problem itself (title,
categories, areas), the staff's own notes and the cause analysis."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.events.models import Category
from trygg.events.queries import category_tree
from trygg.organisations.shards import linked, linked_ids
from trygg.places.models import Area
from trygg.promises.evidence import MAX_DAYS, EvidencePeriod, default_period
from trygg.promises.models import Problem

NEVER_PERSONS = gettext_lazy("Skriv aldrig namn eller andra uppgifter om personer.")


class PeriodForm(forms.Form):
    fran = forms.DateField(
        label=gettext_lazy("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    till = forms.DateField(
        label=gettext_lazy("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not self.is_bound:  # the default period, written out so it can be changed
            shown = default_period(today)
            self.initial = {"fran": shown.first_day, "till": shown.last_day, **self.initial}

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        fallback = default_period(self.today)
        first = data.get("fran") or fallback.first_day
        last = data.get("till") or fallback.last_day
        if last > self.today:
            self.add_error("till", _("Perioden kan inte sluta efter i dag."))
        elif first > last:
            self.add_error("fran", _("Första dagen kommer efter den sista."))
        elif (last - first).days + 1 > MAX_DAYS:
            self.add_error("fran", _("Välj en period på högst fem år."))
        data["fran"], data["till"] = first, last
        return data

    def chosen(self) -> EvidencePeriod:
        """The chosen period, or the default when the form is not valid."""
        if self.is_valid():
            return EvidencePeriod.of(self.cleaned_data["fran"], self.cleaned_data["till"])
        return default_period(self.today)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Egna iakttagelser"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Det ni själva sett och hört om problemet, utöver siffrorna. Skriv aldrig namn "
            "eller andra uppgifter om personer."
        ),
    )


class _CategoryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ProblemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Problemområde"), max_length=160)
    categories = _CategoryChoices(
        label=gettext_lazy("Händelsekategorier"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Kategorierna som visar problemet. En kategori räknar också allt under den."
        ),
    )
    areas = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Områden"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Inget valt område betyder hela kommunen."),
    )

    def __init__(self, *args, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        tree = category_tree()
        field = cast(forms.ModelMultipleChoiceField, self.fields["categories"])
        field.queryset = Category.objects.all()
        # In tree order, each indented by its depth, so a parent stands above its children.
        field.choices = [(c.pk, "\u2003" * depth + c.name) for c, depth in tree]
        areas = cast(forms.ModelMultipleChoiceField, self.fields["areas"])
        chosen = linked_ids(problem, "areas") if problem.pk else []
        # Today's areas, and any older version the problem already names.
        areas.queryset = (
            Area.objects.filter(municipality_id=problem.agreement.municipality_id)
            .filter(Q(valid_to__isnull=True) | Q(pk__in=list(chosen)))
            .defer("geometry")
            .order_by("kind", "name", "pk")
        )

    @staticmethod
    def initial_for(problem: Problem) -> dict:
        return {
            "title": problem.title,
            "categories": list(linked(problem, "categories").values_list("pk", flat=True)),
            "areas": list(linked(problem, "areas").values_list("pk", flat=True)),
        }


class CauseForm(forms.Form):
    places = forms.CharField(
        label=gettext_lazy("Var: platser och miljöer"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NEVER_PERSONS,
    )
    times = forms.CharField(
        label=gettext_lazy("När: tider, dagar, säsonger"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NEVER_PERSONS,
    )
    circumstances = forms.CharField(
        label=gettext_lazy("Vad gör det möjligt: omständigheter"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NEVER_PERSONS,
    )

    @staticmethod
    def initial_for(problem: Problem) -> dict:
        return {
            "places": problem.cause_places,
            "times": problem.cause_times,
            "circumstances": problem.cause_circumstances,
        }
