"""Forms of the EST meeting record: the meeting itself, its priority list (a formset of ranked
rows) and a decision that may become a measure. Every select is scoped to the meeting's
municipality, so no row can name a place, area, pack or organisation from elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.db.models import QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.events.models import Event
from trygg.measures import one_shard
from trygg.measures.forms import CategoryChoiceField
from trygg.measures.routing import Reason, Suggestion
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Place
from trygg.situation.models import MeetingPack

MAX_PRIORITIES = 30
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organisations_of(municipality) -> QuerySet[Organisation]:
    return Organisation.objects.filter(municipality=municipality).order_by("name")


def places_of(municipality) -> QuerySet[Place]:
    return Place.objects.filter(municipality=municipality).order_by("name")


def areas_of(municipality) -> QuerySet[Area]:
    """The current areas: a meeting plans for the boundaries in force now."""
    return (
        Area.objects.current().filter(municipality=municipality).defer("geometry").order_by("name")
    )


class PackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # Two packs of the same period differ only by when they were saved.
        return f"{obj.label} ({obj.created_at:%Y-%m-%d %H:%M})"


class MeetingForm(forms.Form):
    """Date, the organisations present (never people), the pack it looked at and notes."""

    held_on = forms.DateField(label=_("Mötesdatum"), widget=DATE_INPUT)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Närvarande organisationer"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisationerna som var med, aldrig enskilda personer."),
    )
    pack = PackChoiceField(
        label=_("Mötesunderlag"),
        queryset=MeetingPack.objects.none(),
        required=False,
        empty_label=_("Inget underlag"),
        help_text=_("Underlaget gruppen gick igenom. Det senaste står först."),
    )
    notes = forms.CharField(
        label=_("Minnesanteckningar"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Skriv aldrig namn eller personuppgifter: de tas bort när du sparar."),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations_of(municipality)
        packs = MeetingPack.objects.filter(municipality=municipality).order_by(
            "-period_end", "-created_at"
        )
        self.fields["pack"].queryset = packs
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["pack"].initial = packs.values_list("pk", flat=True).first()

    @classmethod
    def for_meeting(cls, meeting, *args, **kwargs) -> MeetingForm:
        """The form of an existing meeting, showing what it holds now."""
        initial = {
            "held_on": meeting.held_on,
            "organisations": list(
                one_shard.meeting_organisations(meeting).values_list("pk", flat=True)
            ),
            "pack": meeting.pack_id,
            "notes": meeting.notes,
        }
        return cls(*args, municipality=meeting.municipality, initial=initial, **kwargs)


# --- the priority list -----------------------------------------------------------------------


class PriorityRowForm(forms.Form):
    """One ranked row: a place or an area, and why the group watches it."""

    rank = forms.IntegerField(
        label=_("Ordning"),
        min_value=1,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "rank-input"}),
    )
    place = forms.ModelChoiceField(
        label=_("Plats"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Ingen plats"),
    )
    area = forms.ModelChoiceField(
        label=_("Eller område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Inget område"),
    )
    note = forms.CharField(label=_("Varför"), max_length=200, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["place"]).queryset = places_of(municipality)
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas_of(municipality)

    def clean(self):
        data = super().clean()
        place, area = data.get("place"), data.get("area")
        if place is not None and area is not None:
            self.add_error("area", _("Välj antingen en plats eller ett område, inte båda."))
        elif place is None and area is None and (data.get("note") or "").strip():
            self.add_error("place", _("Välj en plats eller ett område för raden."))
        return data

    def is_blank(self) -> bool:
        """An emptied row: dropped from the list, not an error."""
        data = getattr(self, "cleaned_data", {})
        return not (data.get("place") or data.get("area") or (data.get("note") or "").strip())


class BasePriorityFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[tuple[str, int]] = set()
        for form in self.kept_forms():
            where = form.cleaned_data.get("place") or form.cleaned_data.get("area")
            if where is None:  # a row without either already has its error from the row form
                continue
            key = (type(where).__name__, where.pk)
            if key in seen:
                raise forms.ValidationError(
                    _("%(where)s står två gånger i listan.") % {"where": where}
                )
            seen.add(key)

    def kept_forms(self) -> list[PriorityRowForm]:
        """The rows to keep, in the order the rank numbers give (ties keep the rows' order)."""
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if not form.cleaned_data.get(DELETION_FIELD_NAME) and not form.is_blank()
        ]
        return [form for _i, form in sorted(kept, key=_rank_key)]

    def rows(self) -> list[dict]:
        """Plain rows for set_meeting_priorities, in rank order."""
        return [
            {key: form.cleaned_data.get(key) for key in ("place", "area", "note")}
            for form in self.kept_forms()
        ]


def _rank_key(item: tuple[int, PriorityRowForm]) -> tuple[int, int]:
    index, form = item
    rank = form.cleaned_data.get("rank")
    return (rank if rank is not None else index + 1, index)


# The factory is typed as returning the generic base; it returns a subclass of `formset`.
PriorityFormSet = cast(
    type[BasePriorityFormSet],
    forms.formset_factory(
        PriorityRowForm,
        formset=BasePriorityFormSet,
        extra=2,
        can_delete=True,
        max_num=MAX_PRIORITIES,
        validate_max=True,
    ),
)


def priority_formset(meeting, data=None) -> BasePriorityFormSet:
    initial = [
        {"rank": p.rank, "place": p.place_id, "area": p.area_id, "note": p.note}
        # Names the municipality so that Citus reads the meeting's shard only.
        for p in meeting.priorities.filter(municipality_id=meeting.municipality_id)
    ]
    return PriorityFormSet(
        data,
        initial=initial,
        prefix="prioritet",
        form_kwargs={"municipality": meeting.municipality},
    )


# --- a decision ------------------------------------------------------------------------------


class EventChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        when = timezone.localtime(obj.occurred_from).strftime("%Y-%m-%d %H:%M")
        where = obj.place or obj.area
        return ", ".join(str(part) for part in (obj.category.name, when, where) if part)


class DecisionForm(forms.Form):
    """What the meeting decided and, ticked, the measure it becomes in the same step."""

    text = forms.CharField(
        label=_("Beslut"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv vad mötet beslutade.")},
        help_text=_("Skriv aldrig namn eller personuppgifter: de tas bort när du sparar."),
    )
    becomes_measure = forms.BooleanField(label=_("Beslutet blir en åtgärd"), required=False)
    title = forms.CharField(label=_("Åtgärdens rubrik"), max_length=160, required=False)
    category = CategoryChoiceField(
        label=_("Kategori"), required=False, empty_label=_("Ingen särskild kategori")
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
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Föreslå ansvarig utifrån reglerna"),
        help_text=_("Lämnas den tom väljs den organisation som reglerna föreslår."),
    )
    due = forms.DateField(label=_("Klar senast"), required=False, widget=DATE_INPUT)
    cost = forms.DecimalField(
        label=_("Kostnad (kr)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    )
    events = EventChoiceField(
        label=_("Flaggade händelser som åtgärden svarar på"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    MEASURE_FIELDS = ("title", "category", "place", "area", "responsible", "due", "cost")

    def __init__(self, *args, meeting, events: QuerySet[Event] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.held_on: dt.date = meeting.held_on
        municipality = meeting.municipality
        fields = self.fields
        cast(forms.ModelChoiceField, fields["place"]).queryset = places_of(municipality)
        cast(forms.ModelChoiceField, fields["area"]).queryset = areas_of(municipality)
        cast(forms.ModelChoiceField, fields["responsible"]).queryset = organisations_of(
            municipality
        )
        cast(forms.ModelMultipleChoiceField, fields["events"]).queryset = (
            events if events is not None else Event.objects.none()
        )
        self.suggestion: Suggestion | None = None

    def clean(self):
        data = super().clean()
        if data.get("becomes_measure"):
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Ge åtgärden en rubrik."))
            due = data.get("due")
            if due is not None and due < self.held_on:
                self.add_error("due", _("Klar senast kan inte vara före mötet."))
        elif data.get("events"):
            self.add_error(
                "events",
                _("Händelser kopplas till en åtgärd: kryssa i att beslutet blir en åtgärd."),
            )
        return data

    def measure(self) -> dict | None:
        """The measure for `decide`, or None when the decision is only written down."""
        data = self.cleaned_data
        if not data.get("becomes_measure"):
            return None
        measure = {name: data.get(name) for name in self.MEASURE_FIELDS}
        measure["events"] = list(data.get("events") or [])
        return measure

    def show_suggestion(self, suggestion: Suggestion) -> None:
        """Pre-fill the responsible organisation and say why it was suggested."""
        self.suggestion = suggestion
        if suggestion.organisation is not None:
            self.initial["responsible"] = suggestion.organisation.pk
        self.fields["responsible"].help_text = explain(suggestion)


def explain(suggestion: Suggestion) -> str:
    """Why the routing suggested this organisation, in a sentence."""
    if suggestion.reason == Reason.RULE and suggestion.rule is not None:
        rule = suggestion.rule.describe()
        return str(_("Föreslagen av ansvarsregeln: %(rule)s.") % {"rule": rule})
    if suggestion.reason == Reason.MANAGER:
        return str(_("Föreslagen som platsens förvaltare; ingen ansvarsregel passar."))
    if suggestion.reason == Reason.COORDINATOR:
        return str(
            _(
                "Ingen regel passar och platsen har ingen förvaltare: kommunens "
                "samordnande organisation tar åtgärden."
            )
        )
    return str(_("Det finns ingen organisation att föreslå. Välj en själv."))
