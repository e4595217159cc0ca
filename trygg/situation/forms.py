"""The situation page's choices (municipality, area, period, category, source) and the forms
for priorities and the annual report's written sections."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core import periods
from trygg.core.periods import Kind, Period
from trygg.events.models import Source
from trygg.events.queries import category_tree
from trygg.places.models import Area, Municipality
from trygg.situation.access import situation_municipalities
from trygg.situation.scope import Scope

PERIOD_KINDS = [
    (Kind.WEEK.value, _("Vecka")),
    (Kind.FOUR_WEEKS.value, _("Fyra veckor")),
    (Kind.TERTIAL.value, _("Tertial")),
    (Kind.YEAR.value, _("År")),
    (Kind.CUSTOM.value, _("Egen period")),
]


class SituationForm(forms.Form):
    """Read from the query string, so every picture has a link that can be shared."""

    kommun = forms.TypedChoiceField(label=_("Kommun"), coerce=int, required=False)
    omrade = forms.TypedChoiceField(label=_("Område"), coerce=int, required=False, empty_value=None)
    typ = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, required=False)
    vecka = forms.CharField(
        label=_("Vecka (den sista av fyra)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "week", "placeholder": "2026-W47"}),
    )
    tertial = forms.ChoiceField(label=_("Tertial"), required=False)
    ar = forms.TypedChoiceField(label=_("År"), coerce=int, required=False, empty_value=None)
    fran = forms.DateField(
        label=_("Från"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kategori = forms.TypedChoiceField(
        label=_("Kategori"), coerce=int, required=False, empty_value=None
    )
    kalla = forms.ChoiceField(label=_("Källa"), required=False)

    def __init__(self, data, *, user, today: dt.date | None = None, preferred: int | None = None):
        super().__init__(data)
        self.user = user
        # Without `kommun`, the municipality chosen in the header's switcher (decision 0035).
        self.preferred = preferred
        self.today = today or timezone.localdate()
        self.municipalities = {m.pk: m for m in situation_municipalities(user)}
        cast(forms.ChoiceField, self.fields["kommun"]).choices = [
            (pk, m.name) for pk, m in self.municipalities.items()
        ]
        municipality = self._chosen_municipality()
        self.areas = _areas_of(municipality)
        cast(forms.ChoiceField, self.fields["omrade"]).choices = [("", _("Hela kommunen"))] + [
            (area.pk, f"{area.name} ({area.get_kind_display()})") for area in self.areas.values()
        ]
        years = list(range(self.today.year, self.today.year - 6, -1))
        cast(forms.ChoiceField, self.fields["ar"]).choices = [(y, y) for y in years]
        cast(forms.ChoiceField, self.fields["tertial"]).choices = [
            (f"{y}-T{n}", f"T{n} {y}")
            for y in years
            for n in (3, 2, 1)
            if periods.tertial(y, n).start <= self.today
        ]
        tree = category_tree()
        self.categories = {category.pk: category for category, _depth in tree}
        cast(forms.ChoiceField, self.fields["kategori"]).choices = [("", _("Alla kategorier"))] + [
            (category.pk, "\u2003" * depth + category.name) for category, depth in tree
        ]
        cast(forms.ChoiceField, self.fields["kalla"]).choices = [("", _("Alla källor"))] + list(
            Source.choices
        )

    def _chosen_municipality(self) -> Municipality | None:
        try:
            chosen = int(self.data.get("kommun") or 0)
        except ValueError:
            chosen = 0
        if chosen in self.municipalities:
            return self.municipalities[chosen]
        if self.preferred in self.municipalities:
            return self.municipalities[self.preferred]
        return next(iter(self.municipalities.values()), None)

    def period(self) -> Period:
        """The chosen period; the latest complete week when nothing (valid) was chosen."""
        self.is_valid()
        data = self.cleaned_data
        kind = data.get("typ") or Kind.WEEK.value
        try:
            if kind == Kind.CUSTOM and data.get("fran") and data.get("till"):
                return periods.custom(data["fran"], data["till"])
            if kind == Kind.TERTIAL and data.get("tertial"):
                return periods.parse(kind, data["tertial"])
            if kind == Kind.YEAR and data.get("ar"):
                return periods.year_period(data["ar"])
            if kind in (Kind.WEEK, Kind.FOUR_WEEKS) and data.get("vecka"):
                return periods.parse(kind, data["vecka"])
        except ValueError:
            self.add_error(None, _("Perioden kunde inte läsas; visar senaste hela veckan."))
        default_kind = Kind(kind) if kind != Kind.CUSTOM else Kind.WEEK
        return periods.latest_complete(default_kind, self.today)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and end < start:
            self.add_error("till", _("Slutdatumet är före startdatumet."))
        return cleaned

    def scope(self) -> Scope | None:
        """None when the user works in no municipality."""
        self.is_valid()
        municipality = self._chosen_municipality()
        if municipality is None:
            return None
        data = self.cleaned_data
        area_pk, category_pk = data.get("omrade"), data.get("kategori")
        return Scope(
            user=self.user,
            municipality=municipality,
            area=self.areas.get(area_pk) if area_pk is not None else None,
            category=self.categories.get(category_pk) if category_pk is not None else None,
            source=data.get("kalla") or None,
        )


def _areas_of(municipality: Municipality | None) -> dict[int, Area]:
    if municipality is None:
        return {}
    areas = Area.objects.current().filter(municipality=municipality).defer("geometry")
    return {area.pk: area for area in areas.order_by("kind", "name")}


class PrioritiesForm(forms.Form):
    priorities = forms.CharField(
        label=_("Gruppens prioriteringar för nästa period"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Platser, problem och vem som gör vad. Skriv aldrig namn på personer."),
    )
