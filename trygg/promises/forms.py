"""Forms of the agreement and promise pages. They parse and check shapes, with Swedish
messages; the actions in trygg.promises.actions decide permission, the municipality, the
targets an indicator can measure, and write. Field names match the actions' error keys, so an
action's message lands on its field.

Several forms share a page, so the views give each its own prefix: ids stay unique and every
label points at its input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.events.models import Category
from trygg.events.queries import category_tree
from trygg.measures import indicators
from trygg.measures.forms import CategoryChoiceField
from trygg.measures.models import Measure, Status
from trygg.organisations.models import Organisation
from trygg.places.models import Area, Municipality
from trygg.promises.actions.agreements import PartyInput
from trygg.promises.actions.promises import CommitmentInput, move_targets
from trygg.promises.models import (
    ENTERED,
    Agreement,
    Column,
    Commitment,
    FollowUpInterval,
    MeasuresOnRemoval,
    PartyRole,
    Problem,
    Promise,
    TargetComparison,
    TargetPer,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _required(message) -> dict:
    return {"required": message}


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
    title = forms.CharField(
        label=_("Benämning"),
        max_length=160,
        error_messages=_required(_("Ge överenskommelsen en benämning.")),
        help_text=_("T.ex. ”Samverkansöverenskommelse Karlstad 2023–2027”."),
    )
    start = forms.DateField(
        label=_("Gäller från"),
        widget=DATE_INPUT,
        error_messages=_required(_("Ange när överenskommelsen börjar gälla.")),
    )
    end = forms.DateField(
        label=_("Gäller till och med"),
        widget=DATE_INPUT,
        error_messages=_required(_("Ange när överenskommelsen slutar gälla.")),
    )
    follow_up_interval = forms.ChoiceField(
        label=_("Uppföljning av löftet"),
        choices=FollowUpInterval.choices,
        initial=FollowUpInterval.TERTIAL,
        widget=forms.RadioSelect,
        error_messages=_required(_("Välj hur ofta löftet följs upp.")),
    )


class PartyForm(forms.Form):
    """One signatory: the organisation, the body that adopted the agreement and when. The
    municipality's and the police's rows are required; the others only when filled in."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Välj organisation"),
    )
    adopted_by = forms.CharField(
        label=_("Beslutande organ"),
        max_length=160,
        required=False,
        help_text=_("T.ex. kommunstyrelsen eller lokalpolisområdets ledning. Aldrig en person."),
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, municipality: Municipality, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        organisations = Organisation.objects.filter(municipality=municipality).order_by("name")
        if role == PartyRole.POLICE:
            organisations = organisations.filter(kind=Organisation.Kind.POLICE)
        elif role == PartyRole.MUNICIPALITY:
            organisations = organisations.exclude(kind=Organisation.Kind.POLICE)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations

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
    done_on = forms.DateField(label=_("Klart den"), required=False, widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

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
    title = forms.CharField(
        label=_("Problemområde"),
        max_length=160,
        error_messages=_required(_("Ge problemområdet en rubrik.")),
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
    notes = forms.CharField(
        label=_("Egna iakttagelser"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad ni ser i arbetet. Skriv aldrig namn eller uppgifter om personer."),
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        cast(_TreeCategories, self.fields["categories"]).set_tree()
        cast(forms.ModelMultipleChoiceField, self.fields["areas"]).queryset = current_areas(
            agreement.municipality_id
        )


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
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=160,
        error_messages=_required(_("Ge löftet en rubrik.")),
        help_text=_("T.ex. ”Medborgarlöfte Karlstad 2023–2027”."),
    )
    start = forms.DateField(
        label=_("Gäller från"),
        widget=DATE_INPUT,
        error_messages=_required(_("Ange när löftet börjar gälla.")),
    )
    end = forms.DateField(
        label=_("Gäller till och med"),
        widget=DATE_INPUT,
        error_messages=_required(_("Ange när löftet slutar gälla.")),
    )
    focus = forms.CharField(
        label=_("Inriktning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
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
        cast(
            forms.ModelMultipleChoiceField, self.fields["problems"]
        ).queryset = agreement.problems.all()
        if promise is not None:
            # The start stays: the promise has begun when it was adopted.
            del self.fields["start"]

    @staticmethod
    def initial_for(promise: Promise) -> dict:
        return {
            "title": promise.title,
            "end": promise.end,
            "focus": promise.focus,
            "problems": list(promise.problems.values_list("pk", flat=True)),
        }


# --- commitments ---------------------------------------------------------------------------


def indicator_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Ingen indikator")),
        (ENTERED, _("Förs in för hand vid uppföljningen, med källa")),
        *[(kind.key, kind.label) for kind in indicators.registered()],
    ]


class _MeasureChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return f"{obj.title} ({Status(obj.status).label})"


class CommitmentForm(forms.Form):
    column = forms.ChoiceField(
        label=_("Vem lovar"),
        choices=Column.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Välj vem som lovar: polisen, tillsammans eller kommunen.")),
    )
    text = forms.CharField(
        label=_("Åtagande"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("Skriv vad som utlovas.")),
        help_text=_("Som det står i löftet, t.ex. ”Genomföra krogkontroller varje månad”."),
    )
    owner = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=Organisation.objects.none(),
        required=False,  # the action says so in Swedish, and writes nothing
        empty_label=_("Välj organisation"),
        help_text=_("Organisationen som för in åtagandets status vid uppföljningen."),
    )
    indicator_kind = forms.ChoiceField(
        label=_("Indikator"),
        required=False,
        help_text=_(
            "Hur åtagandet följs upp: beräknat ur Tryggs uppgifter där det går, annars "
            "fört in för hand med källa."
        ),
    )
    indicator_category = CategoryChoiceField(
        label=_("Indikatorns kategori"),
        required=False,
        empty_label=_("Ingen särskild kategori"),
        help_text=_("För en beräknad indikator som räknas per kategori."),
    )
    indicator_area = forms.ModelChoiceField(
        label=_("Indikatorns område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Hela kommunen"),
    )
    indicator_source = forms.CharField(
        label=_("Källa"),
        max_length=200,
        required=False,
        help_text=_("För en indikator som förs in för hand, t.ex. ”Polisens egen statistik”."),
    )
    target_comparison = forms.ChoiceField(
        label=_("Mål"),
        required=False,
        choices=[("", _("Inget mätbart mål")), *TargetComparison.choices],
    )
    target_value = CommaDecimalField(
        label=_("Antal"),
        required=False,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": _("Skriv ett tal, t.ex. 4.")},
    )
    target_per = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("", _("Välj period")), *TargetPer.choices],
    )
    baseline_start = forms.DateField(
        label=_("Jämförelseperiod från"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("För ”färre än under jämförelseperioden”: en period före löftet."),
    )
    baseline_end = forms.DateField(
        label=_("Jämförelseperiod till och med"), required=False, widget=DATE_INPUT
    )
    measures = _MeasureChoices(
        label=_("Åtgärder som genomför åtagandet"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, promise: Promise, commitment: Commitment | None = None, **kw):
        super().__init__(*args, **kw)
        municipality_id = promise.agreement.municipality_id
        fields = self.fields
        cast(forms.ModelChoiceField, fields["owner"]).queryset = Organisation.objects.filter(
            municipality_id=municipality_id
        ).order_by("name")
        cast(forms.ChoiceField, fields["indicator_kind"]).choices = indicator_choices()
        cast(forms.ModelChoiceField, fields["indicator_area"]).queryset = current_areas(
            municipality_id
        )
        # The municipality's measures that are not cancelled, and those already linked.
        linked = list(commitment.measures.values_list("pk", flat=True)) if commitment else []
        cast(forms.ModelMultipleChoiceField, fields["measures"]).queryset = (
            Measure.objects.filter(municipality_id=municipality_id)
            .filter(~Q(status=Status.CANCELLED) | Q(pk__in=linked))
            .order_by("title", "pk")
        )

    @staticmethod
    def initial_for(commitment: Commitment) -> dict:
        return {
            "column": commitment.column,
            "text": commitment.text,
            "owner": commitment.owner_id,
            "indicator_kind": commitment.indicator_kind,
            "indicator_category": commitment.indicator_category_id,
            "indicator_area": commitment.indicator_area_id,
            "indicator_source": commitment.indicator_source,
            "target_comparison": commitment.target_comparison,
            "target_value": commitment.target_value,
            "target_per": commitment.target_per,
            "baseline_start": commitment.baseline_start,
            "baseline_end": commitment.baseline_end,
            "measures": list(commitment.measures.values_list("pk", flat=True)),
        }

    def commitment_input(self) -> CommitmentInput:
        data = self.cleaned_data
        value: Decimal | None = data.get("target_value")
        return CommitmentInput(
            column=data["column"],
            text=data["text"],
            owner=data.get("owner"),
            indicator_kind=data.get("indicator_kind") or "",
            indicator_category=data.get("indicator_category"),
            indicator_area=data.get("indicator_area"),
            target_value=value,
            target_comparison=data.get("target_comparison") or "",
            target_per=data.get("target_per") or "",
            baseline_start=data.get("baseline_start"),
            baseline_end=data.get("baseline_end"),
            indicator_source=data.get("indicator_source") or "",
            measures=list(data.get("measures") or []),
        )


class _CommitmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commitment) -> str:
        return f"{Column(obj.column).label}: {obj.text[:80]}"


class RemovalForm(forms.Form):
    removal_reason = forms.CharField(
        label=_("Varför åtagandet tas bort"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("Skriv varför åtagandet tas bort.")),
        help_text=_("Med vanliga ord: det syns för invånarna när revideringen antas."),
    )
    measures_on_removal = forms.ChoiceField(
        label=_("Vad händer med åtagandets åtgärder som inte är klara?"),
        required=False,
        choices=MeasuresOnRemoval.choices,
        widget=forms.RadioSelect,
    )
    move_measures_to = _CommitmentChoice(
        label=_("Flytta åtgärderna till"),
        queryset=Commitment.objects.none(),
        required=False,
        empty_label=_("Välj åtagande"),
        help_text=_(
            "Bara när åtgärderna flyttas: ett åtagande som finns kvar i löftet, eller ett "
            "utkast som antas med revideringen."
        ),
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        # The action's own list, so the form offers nothing the action would refuse.
        targets = move_targets(commitment)
        cast(forms.ModelChoiceField, self.fields["move_measures_to"]).queryset = targets


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Antaget den"),
        widget=DATE_INPUT,
        error_messages=_required(_("Ange datumet då löftet antogs.")),
    )
    adopted_by = forms.CharField(
        label=_("Antaget av"),
        max_length=160,
        error_messages=_required(_("Ange vem som antog löftet.")),
        help_text=_("T.ex. kommunstyrelsen och lokalpolisområdets ledning. Aldrig en person."),
    )
    changes = forms.CharField(
        label=_("Vad som ändras, för invånarna"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Med vanliga ord. Visas på den öppna sidan tillsammans med versionen."),
    )

    def __init__(self, *args, revision: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not revision:
            del self.fields["changes"]
