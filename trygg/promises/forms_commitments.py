"""Forms of the promise's working copy: a commitment, its removal at the next revision, and
adoption. Like the other forms of the promise pages (forms.py, whose field helpers these
use), they parse and check shapes with Swedish messages; the actions decide the rest, and
their error keys are these fields' names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.measures import indicators
from trygg.measures.forms import CategoryChoiceField
from trygg.measures.models import Measure, Status
from trygg.organisations.models import Organisation
from trygg.organisations.shards import linked_ids
from trygg.places.models import Area
from trygg.promises.actions.promises import FIELDS as COMMITMENT_FIELDS
from trygg.promises.actions.promises import CommitmentInput, move_targets
from trygg.promises.forms import (
    CommaDecimalField,
    choice_field,
    current_areas,
    date_field,
    if_missing,
    initial_values,
    offer,
    text_field,
)
from trygg.promises.models import (
    ENTERED,
    Column,
    Commitment,
    MeasuresOnRemoval,
    Promise,
    TargetComparison,
    TargetPer,
)


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
        error_messages=if_missing(_("Välj vem som lovar: polisen, tillsammans eller kommunen.")),
    )
    text = text_field(
        _("Åtagande"),
        2000,
        _("Skriv vad som utlovas."),
        rows=3,
        help_text=_("Som det står i löftet, t.ex. ”Genomföra krogkontroller varje månad”."),
    )
    owner = choice_field(
        _("Ansvarig organisation"),
        Organisation,
        _("Välj organisation"),
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
    indicator_area = choice_field(_("Indikatorns område"), Area, _("Hela kommunen"))
    indicator_source = text_field(
        _("Källa"),
        200,
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
    baseline_start = date_field(
        _("Jämförelseperiod från"),
        help_text=_("För ”färre än under jämförelseperioden”: en period före löftet."),
    )
    baseline_end = date_field(_("Jämförelseperiod till och med"))
    measures = _MeasureChoices(
        label=_("Åtgärder som genomför åtagandet"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, promise: Promise, commitment: Commitment | None = None, **kw):
        super().__init__(*args, **kw)
        municipality_id = promise.agreement.municipality_id
        organisations = Organisation.objects.filter(municipality_id=municipality_id)
        offer(self, "owner", organisations.order_by("name"))
        cast(forms.ChoiceField, self.fields["indicator_kind"]).choices = indicator_choices()
        offer(self, "indicator_area", current_areas(municipality_id))
        # The municipality's measures that are not cancelled, and those already linked.
        linked = linked_ids(commitment, "measures") if commitment else []
        measures = Measure.objects.filter(municipality_id=municipality_id)
        offer(
            self,
            "measures",
            measures.filter(~Q(status=Status.CANCELLED) | Q(pk__in=linked)).order_by("title", "pk"),
        )

    @staticmethod
    def initial_for(commitment: Commitment) -> dict:
        # The fields the action writes, each named as this form names it.
        return initial_values(commitment, COMMITMENT_FIELDS, "measures")

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
    removal_reason = text_field(
        _("Varför åtagandet tas bort"),
        2000,
        _("Skriv varför åtagandet tas bort."),
        rows=3,
        help_text=_("Med vanliga ord: det syns för invånarna när revideringen antas."),
    )
    measures_on_removal = forms.ChoiceField(
        label=_("Vad händer med åtagandets åtgärder som inte är klara?"),
        required=False,
        choices=MeasuresOnRemoval.choices,
        widget=forms.RadioSelect,
    )
    move_measures_to = choice_field(
        _("Flytta åtgärderna till"),
        Commitment,
        _("Välj åtagande"),
        field=_CommitmentChoice,
        help_text=_(
            "Bara när åtgärderna flyttas: ett åtagande som finns kvar i löftet, eller ett "
            "utkast som antas med revideringen."
        ),
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        # The action's own list, so the form offers nothing the action would refuse.
        offer(self, "move_measures_to", move_targets(commitment))


class AdoptForm(forms.Form):
    adopted_on = date_field(_("Antaget den"), _("Ange datumet då löftet antogs."))
    adopted_by = text_field(
        _("Antaget av"),
        160,
        _("Ange vem som antog löftet."),
        help_text=_("T.ex. kommunstyrelsen och lokalpolisområdets ledning. Aldrig en person."),
    )
    changes = text_field(
        _("Vad som ändras, för invånarna"),
        5000,
        rows=3,
        help_text=_("Med vanliga ord. Visas på den öppna sidan tillsammans med versionen."),
    )

    def __init__(self, *args, revision: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not revision:
            del self.fields["changes"]
