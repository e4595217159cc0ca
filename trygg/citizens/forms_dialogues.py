"""Forms of the dialogue pages: each only parses; `actions/dialogues.py` checks and writes.
Field names match the actions' error keys, so an action's error lands on its field.

The theme × area grid is not a Django form: its columns change with the areas the user adds,
so `parse_grid` reads its cells by name (`n-<theme>-<area id or "hela">`) and says which cell
is wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.actions.dialogues import MAX_COUNT, MentionRow, present_choices, present_ids
from trygg.citizens.models import QUOTE_MAX_LENGTH, Dialogue, Theme
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Municipality, Place

NO_WHO = gettext_lazy(
    "Skriv vad som sades, aldrig vem som sa det: inga namn, åldrar, adresser eller "
    "beskrivningar av personer. Personnummer, telefonnummer, e-post och registreringsnummer "
    "tas bort."
)


def current_areas(municipality: Municipality):
    return (
        Area.objects.current().filter(municipality=municipality).defer("geometry").order_by("name")
    )


class DialogueForm(forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Dag"),
        required=False,  # the action says it is required, in Swedish, and writes nothing
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.ModelChoiceField(
        label=gettext_lazy("Plats"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=gettext_lazy("Ingen av kommunens platser"),
        help_text=gettext_lazy("Där det mobila poliskontoret stod, om Trygg känner till platsen."),
    )
    place_name = forms.CharField(
        label=gettext_lazy("Platsens namn"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("Om platsen inte finns i listan, t.ex. ”Rudstorget”."),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=gettext_lazy("Inget särskilt område"),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("På plats"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visitors = forms.IntegerField(
        label=gettext_lazy("Antal besökare"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Om någon räknade hur många som kom fram."),
    )

    def __init__(self, *args, municipality: Municipality, dialogue: Dialogue | None = None, **kw):
        super().__init__(*args, **kw)
        fields = self.fields
        fields["place"].queryset = Place.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("name")
        areas = current_areas(municipality)
        if dialogue is not None and dialogue.area_id:
            areas = Area.objects.filter(pk=dialogue.area_id) | areas
        fields["area"].queryset = areas  # type: ignore[attr-defined]
        fields["organisations"].queryset = present_choices(  # type: ignore[attr-defined]
            municipality
        )
        fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    @staticmethod
    def initial_from(dialogue: Dialogue) -> dict:
        return {
            "held_on": dialogue.held_on,
            "place": dialogue.place_id,
            "place_name": dialogue.place_name,
            "area": dialogue.area_id,
            "organisations": present_ids(dialogue),
            "visitors": dialogue.visitors,
        }


class QuoteForm(forms.Form):
    theme = forms.ChoiceField(label=gettext_lazy("Tema"), choices=Theme.choices)
    area = forms.ModelChoiceField(
        label=gettext_lazy("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=gettext_lazy("Inget särskilt område"),
    )
    text = forms.CharField(
        label=gettext_lazy("Citat"),
        required=False,  # the action says it is required
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": QUOTE_MAX_LENGTH}),
        help_text=NO_WHO,
    )

    def __init__(self, *args, areas, **kw):
        super().__init__(*args, **kw)
        self.fields["area"].queryset = areas


class PeriodForm(forms.Form):
    """`?fran=…&till=…`, both days included; by default this year so far."""

    fran = forms.DateField(
        label=gettext_lazy("Från"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=gettext_lazy("Till"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("fran") or dt.date(today.year, 1, 1)
        end = data.get("till") or today
        return start, end

    def clean(self):
        data = super().clean()
        start, end = data.get("fran"), data.get("till")
        if start and end and start > end:
            raise forms.ValidationError(_("Perioden måste börja före den slutar."))
        return data


# --- the grid --------------------------------------------------------------------------------


@dataclass
class Grid:
    """The cells as typed (for showing them again) and what they mean."""

    values: dict[str, str] = field(default_factory=dict)
    rows: list[MentionRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def cell_name(theme: str, area_key: str) -> str:
    return f"n-{theme}-{area_key}"


def parse_grid(data, columns: list[tuple[str, Area | None]]) -> Grid:
    """Read every theme × column cell; empty and 0 mean nobody raised it."""
    grid = Grid()
    for theme in Theme.values:
        for key, area in columns:
            name = cell_name(theme, key)
            raw = (data.get(name) or "").strip()
            grid.values[name] = raw
            if not raw:
                continue
            try:
                count = int(raw)
            except ValueError:
                grid.errors[name] = _("Skriv ett heltal.")
                continue
            if not 0 <= count <= MAX_COUNT:
                grid.errors[name] = _("Ange ett heltal från 0 till %(max)s.") % {"max": MAX_COUNT}
            elif count:
                grid.rows.append(MentionRow(theme, area, count))
    return grid
