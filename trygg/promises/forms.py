"""Forms of the agreement and promise pages. They parse and check shapes, with Swedish
messages; the actions in trygg.promises.actions decide permission, the municipality, the
targets an indicator can measure, and write. Field names match the actions' error keys, so an
action's message lands on its field.

Several forms share a page, so the views give each its own prefix: ids stay unique and every
label points at its input. The working copy's forms (a commitment, its removal, adoption) are
in forms_commitments.py and use the field helpers below."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.events.models import Category
from trygg.events.queries import category_tree
from trygg.organisations.models import Organisation
from trygg.organisations.shards import children, linked
from trygg.places.models import Area, Municipality
from trygg.promises.actions.agreements import PartyInput
from trygg.promises.models import (
    Agreement,
    FollowUpInterval,
    PartyRole,
    Problem,
    Promise,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def if_missing(message) -> dict:
    """A required field's error messages: `message` when it is left empty."""
    return {"required": message}


def date_field(label, missing=None, **options) -> forms.DateField:
    """A day picked in the browser's calendar; required when `missing` says what to give."""
    if missing is None:
        return forms.DateField(label=label, required=False, widget=DATE_INPUT, **options)
    return forms.DateField(
        label=label, widget=DATE_INPUT, error_messages=if_missing(missing), **options
    )


def text_field(label, max_length: int, missing=None, rows: int = 0, **options) -> forms.CharField:
    """A line of text, or a box of `rows` rows; required when `missing` says what to write."""
    if rows:
        options["widget"] = forms.Textarea(attrs={"rows": rows})
    if missing is None:
        options["required"] = False
    else:
        options["error_messages"] = if_missing(missing)
    return forms.CharField(label=label, max_length=max_length, **options)


def titled_period(label, missing_title, example, missing_start, missing_end) -> tuple:
    """The title (up to 160 characters, `example` as its help) and the period of an agreement
    or a promise, each required with its own message."""
    return (
        text_field(label, 160, missing_title, help_text=example),
        date_field(_("Gäller från"), missing_start),
        date_field(_("Gäller till och med"), missing_end),
    )


def initial_values(obj, names, many: str) -> dict:
    """A form's initial values from `obj`: the fields in `names` (a foreign key as its id)
    and the ids of the rows its many-to-many field `many` links."""
    values = {name: obj.serializable_value(name) for name in names}
    return values | {many: list(linked(obj, many).values_list("pk", flat=True))}


def choice_field(label, model, empty_label, field=forms.ModelChoiceField, **options):
    """One row to pick, left optional (the action says what is missing); the form offers
    the rows of its municipality through `offer`."""
    return field(
        label=label,
        queryset=model.objects.none(),
        required=False,
        empty_label=empty_label,
        **options,
    )


def offer(form: forms.Form, name: str, queryset) -> None:
    """The rows the choice field `name` offers on this form."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def current_areas(municipality_id: int):
    return (
        Area.objects.current()
        .filter(municipality_id=municipality_id)
        .defer("geometry")
        .order_by("kind", "name")
    )


class CommaDecimalField(forms.DecimalField):
    """A number typed with a decimal comma (2,5) or point (2.5)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("\u2212", "-").replace(" ", "")
        return super().to_python(value)


class _TreeCategories(forms.ModelMultipleChoiceField):
    """The category tree as checkboxes, indented, in tree order (the pickers' order)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Category.objects.all(), widget=forms.CheckboxSelectMultiple, **kwargs
        )

    def set_tree(self) -> None:
        self.choices = [(c.pk, "\u2003" * depth + c.name) for c, depth in category_tree()]


class _AreaChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


# --- the agreement -------------------------------------------------------------------------


class AgreementForm(forms.Form):
    title, start, end = titled_period(
        _("Benämning"),
        _("Ge överenskommelsen en benämning."),
        _("T.ex. ”Samverkansöverenskommelse Karlstad 2023–2027”."),
        _("Ange när överenskommelsen börjar gälla."),
        _("Ange när överenskommelsen slutar gälla."),
    )
    follow_up_interval = forms.ChoiceField(
        label=_("Uppföljning av löftet"),
        choices=FollowUpInterval.choices,
        initial=FollowUpInterval.TERTIAL,
        widget=forms.RadioSelect,
        error_messages=if_missing(_("Välj hur ofta löftet följs upp.")),
    )


class PartyForm(forms.Form):
    """One signatory: the organisation, the body that adopted the agreement and when. The
    municipality's and the police's rows are required; the others only when filled in."""

    organisation = choice_field(_("Organisation"), Organisation, _("Välj organisation"))
    adopted_by = text_field(
        _("Beslutande organ"),
        160,
        help_text=_("T.ex. kommunstyrelsen eller lokalpolisområdets ledning. Aldrig en person."),
    )
    decided_on = date_field(_("Beslutsdatum"))

    def __init__(self, *args, municipality: Municipality, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        organisations = Organisation.objects.filter(municipality=municipality).order_by("name")
        if role == PartyRole.POLICE:
            organisations = organisations.filter(kind=Organisation.Kind.POLICE)
        elif role == PartyRole.MUNICIPALITY:
            organisations = organisations.exclude(kind=Organisation.Kind.POLICE)
        offer(self, "organisation", organisations)

    @property
    def required(self) -> bool:
        return self.role != PartyRole.OTHER

    def clean(self):
        data = super().clean()
        filled = any(data.get(name) not in (None, "") for name in self.fields)
        if not (self.required or filled):
            return data
        if data.get("organisation") is None and "organisation" not in self.errors:
            self.add_error("organisation", _("Välj organisationen."))
        if not (data.get("adopted_by") or "").strip() and "adopted_by" not in self.errors:
            self.add_error("adopted_by", _("Ange vilket organ som beslutade."))
        if data.get("decided_on") is None and "decided_on" not in self.errors:
            self.add_error("decided_on", _("Ange beslutsdatum."))
        return data

    def party(self) -> PartyInput | None:
        data = self.cleaned_data
        if data.get("organisation") is None:
            return None
        return PartyInput(data["organisation"], self.role, data["adopted_by"], data["decided_on"])


# --- Brå's steps ---------------------------------------------------------------------------


class StepForm(forms.Form):
    done_on = date_field(_("Klart den"))
    note = text_field(_("Anteckning"), 2000, rows=2)

    def __init__(self, *args, today: dt.date | None = None, reopen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.reopen = reopen

    def clean_done_on(self) -> dt.date | None:
        day = self.cleaned_data.get("done_on")
        if self.reopen:
            return None
        if day is None:
            raise forms.ValidationError(_("Ange datumet då steget blev klart."))
        if day > self.today:
            raise forms.ValidationError(
                _("Ett steg kan inte vara klart ett datum som inte kommit.")
            )
        return day


# --- problems ------------------------------------------------------------------------------


class ProblemForm(forms.Form):
    title = text_field(
        _("Problemområde"),
        160,
        _("Ge problemområdet en rubrik."),
        help_text=_("T.ex. ”Narkotika- och alkoholrelaterad brottslighet”."),
    )
    categories = _TreeCategories(
        label=_("Kategorier"),
        required=False,
        help_text=_("Händelsekategorierna som visar problemet i lägesbilden."),
    )
    areas = _AreaChoices(
        label=_("Områden"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Inget valt betyder hela kommunen."),
    )
    notes = text_field(
        _("Egna iakttagelser"),
        20_000,
        rows=3,
        help_text=_("Vad ni ser i arbetet. Skriv aldrig namn eller uppgifter om personer."),
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        cast(_TreeCategories, self.fields["categories"]).set_tree()
        offer(self, "areas", current_areas(agreement.municipality_id))


class RankForm(forms.Form):
    """The partners' ranking: a number per problem, 1 first; empty is a candidate still.
    Numbers only order the problems, so 1, 2, 5 reads as 1, 2, 3."""

    def __init__(self, *args, problems: list[Problem], **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = problems
        for problem in problems:
            self.fields[self.key(problem)] = forms.IntegerField(
                label=problem.title,
                required=False,
                min_value=1,
                max_value=99,
                initial=problem.rank,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "rank-input"}),
                error_messages={
                    "invalid": _("Skriv en siffra, eller lämna tomt."),
                    "min_value": _("Prioriteten börjar på 1."),
                    "max_value": _("Högst 99."),
                },
            )

    @staticmethod
    def key(problem: Problem) -> str:
        return f"problem_{problem.pk}"

    def clean(self):
        data = super().clean()
        seen: dict[int, Problem] = {}
        for problem in self.problems:
            rank = data.get(self.key(problem))
            if rank is None:
                continue
            if rank in seen:
                self.add_error(
                    self.key(problem),
                    _("Samma prioritet som ”%(other)s”: ge varje problem ett eget tal.")
                    % {"other": seen[rank].title},
                )
            seen[rank] = problem
        return data

    def prioritised(self) -> list[Problem]:
        ranked = [
            (self.cleaned_data[self.key(p)], p)
            for p in self.problems
            if self.cleaned_data.get(self.key(p)) is not None
        ]
        return [problem for _rank, problem in sorted(ranked, key=lambda pair: pair[0])]


# --- the promise ---------------------------------------------------------------------------


class PromiseForm(forms.Form):
    title, start, end = titled_period(
        _("Rubrik"),
        _("Ge löftet en rubrik."),
        _("T.ex. ”Medborgarlöfte Karlstad 2023–2027”."),
        _("Ange när löftet börjar gälla."),
        _("Ange när löftet slutar gälla."),
    )
    focus = text_field(
        _("Inriktning"),
        5000,
        rows=2,
        help_text=_(
            "Det arbetet inriktas mot under perioden, t.ex. narkotikarelaterad brottslighet."
        ),
    )
    problems = forms.ModelMultipleChoiceField(
        label=_("Problemområden"),
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De problemområden löftet gäller, bland överenskommelsens."),
    )

    def __init__(self, *args, agreement: Agreement, promise: Promise | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self, "problems", children(agreement, "problems"))
        if promise is not None:
            # The start stays: the promise has begun when it was adopted.
            del self.fields["start"]

    @staticmethod
    def initial_for(promise: Promise) -> dict:
        return initial_values(promise, ("title", "end", "focus"), "problems")
