"""Forms of the planning pages, each scoped to the walk's municipality so no select offers an
area, place, checklist or organisation from elsewhere. They only parse: the actions check
the plan as a whole (dates in order, points inside the municipality) and say what is wrong."""

from __future__ import annotations

import json
from typing import cast

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from trygg.organisations.models import Organisation
from trygg.places.forms import CoordinateField
from trygg.places.models import Area, Place
from trygg.places.queries import current_districts
from trygg.walks.actions.plans import MAX_PARTICIPANTS, MAX_STOPS, PLAN_FIELDS, StopInput
from trygg.walks.actions.templates import MAX_ITEMS, ItemInput, templates_for
from trygg.walks.in_municipality import children
from trygg.walks.models import PARTICIPANT_GROUPS, Walk

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Skriv datum och tid, till exempel 2026-11-10 18:00.")},
    )


class WalkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({timezone.localtime(obj.walk_at):%Y-%m-%d})"


class WalkForm(forms.Form):
    """The plan: what, where, which checklist and the three meetings."""

    title = forms.CharField(
        label=_("Namn"),
        max_length=160,
        error_messages={"required": _("Ge vandringen ett namn.")},
    )
    purpose = forms.CharField(
        label=_("Syfte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Varför vandringen görs och vad den ska titta på. Skriv aldrig namn."),
    )
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Inget särskilt område"),
    )
    light = forms.ChoiceField(
        label=_("Ljus"),
        choices=Walk.Light.choices,
        initial=Walk.Light.DAY,
        widget=forms.RadioSelect,
    )
    template = forms.ModelChoiceField(
        label=_("Checklista"),
        queryset=templates_for(None).none(),
        error_messages={"required": _("Välj en checklista.")},
    )
    premeeting_at = _datetime_field(_("Förmöte"), _("Där rutten och stoppen planeras."))
    walk_at = _datetime_field(_("Vandring"))
    followup_at = _datetime_field(
        _("Uppföljningsmöte"), _("Där de ansvariga svarar på varje iakttagelse.")
    )
    meeting_place = forms.CharField(
        label=_("Samlingsplats"),
        max_length=160,
        required=False,
        help_text=_("Var deltagarna samlas inför vandringen."),
    )
    previous = WalkChoiceField(
        label=_("Tidigare vandring på samma rutt"),
        queryset=Walk.objects.none(),
        required=False,
        empty_label=_("Ingen"),
        help_text=_(
            "Den nya vandringen jämförs med den tidigare. En vandring utan rutt får den "
            "tidigare vandringens rutt och stopp."
        ),
    )

    def __init__(self, *args, municipality, walk: Walk | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = [area.pk for area in current_districts(municipality)]
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = (
            Area.objects.filter(pk__in=areas).defer("geometry").order_by("name")
        )
        templates = templates_for(municipality).filter(is_active=True)
        if walk is not None:  # a checklist taken out of use stays on the walks that have it
            templates = templates | templates_for(municipality).filter(pk=walk.template_id)
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = templates.order_by(
            "municipality_id", "name"
        )
        earlier = Walk.objects.filter(municipality=municipality).order_by("-walk_at")
        if walk is not None:
            earlier = earlier.exclude(pk=walk.pk)
        cast(forms.ModelChoiceField, self.fields["previous"]).queryset = earlier

    @staticmethod
    def initial_from(walk: Walk) -> dict:
        values = {name: getattr(walk, name) for name in PLAN_FIELDS}
        for name in ("premeeting_at", "walk_at", "followup_at"):
            if values[name] is not None:
                values[name] = timezone.localtime(values[name])
        return values

    @staticmethod
    def initial_from_previous(previous: Walk) -> dict:
        """A new walk on the same route: the earlier walk's place, light and checklist."""
        return {
            "title": previous.title,
            "purpose": previous.purpose,
            "area": previous.area_id,
            "light": previous.light,
            "template": previous.template_id if previous.template.is_active else None,
            "meeting_place": previous.meeting_place,
            "previous": previous.pk,
        }


# --- route and stops --------------------------------------------------------------------------


class StopForm(forms.Form):
    """One stop: a place of the municipality, or a position (typed or clicked) with a name."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label=_("Namn"),
        max_length=160,
        required=False,
        help_text=_("Tomt: platsens namn."),
    )
    place = forms.ModelChoiceField(
        label=_("Plats"), queryset=Place.objects.none(), required=False, empty_label=_("Ingen")
    )
    lat = CoordinateField(
        label=_("Latitud"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Skriv latitud som ett tal, till exempel 59,3793.")},
    )
    lon = CoordinateField(
        label=_("Longitud"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Skriv longitud som ett tal, till exempel 13,5036.")},
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["place"]).queryset = places

    def is_blank(self) -> bool:
        """An empty extra row: not a stop, not an error."""
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(key) not in (None, "") for key in ("name", "place", "lat", "lon"))


class BaseStopFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[StopForm]:
        """The stops to keep, in the order the numbers give (rows without one keep theirs)."""
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if not form.cleaned_data.get(DELETION_FIELD_NAME) and not form.is_blank()
        ]
        return [form for _index, form in sorted(kept, key=_order_key)]

    def stops(self) -> list[StopInput]:
        return [
            StopInput(
                name=form.cleaned_data.get("name") or "",
                place=form.cleaned_data.get("place"),
                lat=form.cleaned_data.get("lat"),
                lon=form.cleaned_data.get("lon"),
                pk=form.cleaned_data.get("id"),
            )
            for form in self.kept_forms()
        ]


def _order_key(item: tuple[int, forms.Form]) -> tuple[int, int]:
    index, form = item
    order = form.cleaned_data.get(ORDERING_FIELD_NAME)
    return (order if order is not None else index + 1, index)


StopFormSet = cast(
    type[BaseStopFormSet],
    forms.formset_factory(
        StopForm,
        formset=BaseStopFormSet,
        extra=3,
        can_order=True,
        can_delete=True,
        max_num=MAX_STOPS,
        validate_max=True,
    ),
)


def places_for(walk: Walk):
    """The places a stop may be: those in the walk's area (and its parts), else the
    municipality's."""
    places = Place.objects.filter(municipality_id=walk.municipality_id)
    if walk.area is not None:
        in_area = places.filter(area_id__in=walk.area.descendant_ids())
        if in_area.exists():
            places = in_area
    return places.order_by("name", "pk")


def stop_formset(walk: Walk, data=None) -> BaseStopFormSet:
    initial = [
        {
            "id": stop.pk,
            "name": stop.name,
            "place": stop.place_id,
            "lat": round(stop.lat, 6),
            "lon": round(stop.lon, 6),
            ORDERING_FIELD_NAME: stop.order,
        }
        for stop in children(walk, "stops")
    ]
    return StopFormSet(
        data, initial=initial, prefix="stopp", form_kwargs={"places": places_for(walk)}
    )


class RouteForm(forms.Form):
    """The drawn line as GeoJSON (the map writes it); empty: no line, only stops."""

    route = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_route(self) -> dict | None:
        raw = (self.cleaned_data.get("route") or "").strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Rutten går inte att läsa.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Rutten ska vara en linje."))
        return value


# --- invitations, participants ----------------------------------------------------------------


class InvitationForm(forms.Form):
    suggested = forms.ModelMultipleChoiceField(
        label=_("Föreslagna organisationer"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.ModelMultipleChoiceField(
        label=_("Andra organisationer i kommunen"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, walk: Walk, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = {s.organisation.pk: s for s in suggestions}
        invited = set(children(walk, "invitations").values_list("organisation_id", flat=True))
        suggested = Organisation.objects.filter(pk__in=list(self.suggestions)).order_by("name")
        # Invited organisations no longer suggested (the route changed) stay listed to untick.
        others = (
            Organisation.objects.filter(municipality_id=walk.municipality_id)
            | Organisation.objects.filter(pk__in=invited)
        ).exclude(pk__in=[*self.suggestions, walk.organisation_id])
        cast(forms.ModelMultipleChoiceField, self.fields["suggested"]).queryset = suggested
        cast(forms.ModelMultipleChoiceField, self.fields["others"]).queryset = others.order_by(
            "name"
        )
        if not self.is_bound:
            self.initial = {
                "suggested": [pk for pk in self.suggestions if pk in invited],
                "others": [pk for pk in invited if pk not in self.suggestions],
            }

    def organisations(self) -> list[Organisation]:
        return [*self.cleaned_data["suggested"], *self.cleaned_data["others"]]


class ParticipantsForm(forms.Form):
    """One count per group, built from PARTICIPANT_GROUPS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for column, label in PARTICIPANT_GROUPS:
            self.fields[column] = forms.IntegerField(
                label=capfirst(label),
                required=False,
                min_value=0,
                max_value=MAX_PARTICIPANTS,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                error_messages={
                    "invalid": _("Skriv ett heltal."),
                    "min_value": _("Antalet kan inte vara negativt."),
                    "max_value": _("Högst %(limit_value)s."),
                },
            )


# --- checklist templates ----------------------------------------------------------------------


class TemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"), max_length=120, error_messages={"required": _("Ge checklistan ett namn.")}
    )
    is_active = forms.BooleanField(
        label=_("Används"),
        required=False,
        help_text=_("En checklista som inte används kan inte väljas för nya vandringar."),
    )


class ItemForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Punkt"), max_length=160, required=False)
    label_en = forms.CharField(label=_("Punkt på engelska"), max_length=160, required=False)
    help_text = forms.CharField(label=_("Vägledning"), max_length=1000, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any((data.get(key) or "").strip() for key in ("label", "label_en", "help_text"))


class BaseItemFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[ItemForm]:
        """The items to keep, in the order the numbers give; an emptied existing item is
        kept (and refused: an item is removed by ticking it)."""
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if not form.cleaned_data.get(DELETION_FIELD_NAME)
            and not (form.is_blank() and form.cleaned_data.get("id") is None)
        ]
        return [form for _index, form in sorted(kept, key=_order_key)]

    def items(self) -> list[ItemInput]:
        return [
            ItemInput(
                label=form.cleaned_data.get("label") or "",
                label_en=form.cleaned_data.get("label_en") or "",
                help_text=form.cleaned_data.get("help_text") or "",
                pk=form.cleaned_data.get("id"),
            )
            for form in self.kept_forms()
        ]


ItemFormSet = cast(
    type[BaseItemFormSet],
    forms.formset_factory(
        ItemForm,
        formset=BaseItemFormSet,
        extra=2,
        can_order=True,
        can_delete=True,
        max_num=MAX_ITEMS,
        validate_max=True,
    ),
)


def item_formset(template, data=None) -> BaseItemFormSet:
    initial = [
        {
            "id": item.pk,
            "label": item.label,
            "label_en": item.label_en,
            "help_text": item.help_text,
            ORDERING_FIELD_NAME: item.order,
        }
        for item in template.items.all()
    ]
    return ItemFormSet(data, initial=initial, prefix="punkt")
