"""The presence pages' forms, each scoped to one municipality so that no select offers a group,
an area or an organisation from elsewhere. They parse; the actions check the plan as a whole
and say what is wrong, so the pages and the API give the same messages."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.organisations.models import Organisation
from trygg.places.models import Area, Municipality
from trygg.presence.access import planning_organisation_ids
from trygg.presence.actions.groups import GroupInput
from trygg.presence.actions.series import MAX_WEEKS, SeriesInput
from trygg.presence.actions.shifts import MAX_PEOPLE, ShiftInput
from trygg.presence.models import GroupKind, PresenceGroup, Shift

WEEKDAY_CHOICES = [
    (1, _("måndag")),
    (2, _("tisdag")),
    (3, _("onsdag")),
    (4, _("torsdag")),
    (5, _("fredag")),
    (6, _("lördag")),
    (7, _("söndag")),
]
AFTER_MIDNIGHT = _("Slutar passet efter midnatt räknas sluttiden till nästa dag.")
NO_NAMES = _("Till exempel samlingsplats eller vad passet ska ha fokus på. Skriv aldrig namn.")


def _messages(invalid, required) -> dict:
    return {"invalid": invalid} | ({"required": required} if required else {})


def _time(label, help_text="", required_message=None):
    return forms.TimeField(
        label=label,
        required=required_message is not None,
        help_text=help_text,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages=_messages(_("Skriv klockslaget som 21:00."), required_message),
    )


def _date(label, help_text="", required_message=None):
    return forms.DateField(
        label=label,
        required=required_message is not None,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_messages(_("Skriv datumet som 2026-11-27."), required_message),
    )


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.organisation.name})"


def _group_field():
    return GroupChoiceField(
        label=_("Grupp"),
        queryset=PresenceGroup.objects.none(),
        required=False,
        empty_label=_("Välj grupp"),
        error_messages={"invalid_choice": _("Välj en av kommunens aktiva grupper.")},
    )


def _area_field():
    return forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Välj område"),
        error_messages={"invalid_choice": _("Välj ett av kommunens områden.")},
    )


def _people():
    return forms.IntegerField(
        label=_("Antal personer"),
        required=False,
        help_text=_("Hur många som går. Bara antalet, aldrig vilka."),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_PEOPLE, "inputmode": "numeric"}),
        error_messages={"invalid": _("Skriv antalet som en siffra.")},
    )


def _note():
    return forms.CharField(
        label=_("Anteckning"),
        required=False,
        help_text=NO_NAMES,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def area_choices(municipality: Municipality):
    """The municipality's areas as they are today, by name."""
    return (
        Area.objects.current().filter(municipality=municipality).defer("geometry").order_by("name")
    )


def plannable_groups(user, municipality: Municipality, *, active_only: bool = True):
    """The groups there whose shifts the user plans."""
    groups = PresenceGroup.objects.filter(municipality=municipality)
    if active_only:
        groups = groups.filter(active=True)
    organisations = planning_organisation_ids(user, municipality.pk)
    if organisations is not None:
        groups = groups.filter(organisation_id__in=organisations)
    return groups.select_related("organisation").order_by("name")


def combine(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """Start and end in local time; an end before the start is the next day (an end equal to
    the start is left for the action to refuse, not read as 24 hours)."""
    tz = timezone.get_default_timezone()
    starts_at = dt.datetime.combine(day, start, tzinfo=tz)
    end_day = day + dt.timedelta(days=1) if end < start else day
    return starts_at, dt.datetime.combine(end_day, end, tzinfo=tz)


class ShiftForm(forms.Form):
    """One shift: the group (when new), where, the day with start and end, how many."""

    group = _group_field()
    area = _area_field()
    day = _date(_("Dag"), required_message=_("Ange vilken dag passet går."))
    start_time = _time(_("Börjar"), required_message=_("Ange när passet börjar."))
    end_time = _time(_("Slutar"), AFTER_MIDNIGHT, _("Ange när passet slutar."))
    people = _people()
    note = _note()

    def __init__(self, *args, municipality, user, shift: Shift | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shift = shift
        if shift is not None:
            del self.fields["group"]
        else:
            groups = plannable_groups(user, municipality)
            cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = area_choices(municipality)

    @staticmethod
    def initial_from(shift: Shift) -> dict:
        start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
        return {
            "area": shift.area_id,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "people": shift.people,
            "note": shift.note,
        }

    def shift_input(self) -> ShiftInput:
        data = self.cleaned_data
        starts_at, ends_at = combine(data["day"], data["start_time"], data["end_time"])
        return ShiftInput(data["area"], starts_at, ends_at, data["people"], data["note"])


class SeriesForm(forms.Form):
    """The same shift weekly on chosen weekdays for a number of weeks."""

    group = _group_field()
    area = _area_field()
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Veckodagar"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = _time(_("Börjar"))
    end_time = _time(_("Slutar"), AFTER_MIDNIGHT)
    first_day = _date(_("Från och med"), _("Serien börjar den här dagen."))
    weeks = forms.IntegerField(
        label=_("Antal veckor"),
        required=False,
        help_text=_("Högst %(n)s.") % {"n": MAX_WEEKS},
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_WEEKS, "inputmode": "numeric"}),
        error_messages={"invalid": _("Skriv antalet veckor som en siffra.")},
    )
    people = _people()
    note = _note()

    def __init__(self, *args, municipality, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = plannable_groups(user, municipality)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = area_choices(municipality)

    def series_input(self) -> SeriesInput:
        data = self.cleaned_data
        return SeriesInput(
            area=data["area"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            first_day=data["first_day"],
            weeks=data["weeks"],
            people=data["people"],
            weekdays=data["weekdays"],
            note=data["note"],
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför ställs passet in?"),
        required=False,
        help_text=_("Syns i kalendern för alla organisationer i kommunen. Skriv aldrig namn."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class GroupForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Välj organisation"),
        error_messages={"invalid_choice": _("Välj en organisation i kommunen.")},
    )
    kind = forms.ChoiceField(label=_("Slags grupp"), choices=GroupKind.choices)
    name = forms.CharField(
        label=_("Namn"),
        max_length=120,
        required=False,
        help_text=_("Gruppens namn, till exempel Ungdomar för trygghet Centrum."),
    )
    active = forms.BooleanField(
        label=_("Aktiv"),
        required=False,
        initial=True,
        help_text=_("En grupp som inte är aktiv behåller sina pass men får inga nya."),
    )

    def __init__(self, *args, municipality, user, group: PresenceGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:
            del self.fields["organisation"]
            return
        del self.fields["active"]  # a new group is active
        organisations = Organisation.objects.filter(municipality=municipality)
        allowed = planning_organisation_ids(user, municipality.pk)
        if allowed is not None:
            organisations = organisations.filter(pk__in=allowed)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations

    def group_input(self) -> GroupInput:
        data = self.cleaned_data
        return GroupInput(kind=data["kind"], name=data["name"], active=data.get("active", True))


class CalendarFilters(forms.Form):
    grupp = forms.ModelChoiceField(
        label=_("Grupp"),
        queryset=PresenceGroup.objects.none(),
        required=False,
        empty_label=_("Alla grupper"),
    )
    omrade = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Hela kommunen"),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        groups = PresenceGroup.objects.filter(municipality=municipality).order_by("name")
        cast(forms.ModelChoiceField, self.fields["grupp"]).queryset = groups
        cast(forms.ModelChoiceField, self.fields["omrade"]).queryset = area_choices(municipality)
