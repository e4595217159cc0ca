"""Forms of the åtgärdsplan's pages. They parse and check shapes; the actions in
trygg.measures.actions.plans decide permission, municipality and scrubbing.

Several of these forms share one page, so each is given its own prefix by the view; field
ids stay unique and labels point at the right input."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from trygg.events.models import Category
from trygg.events.queries import category_tree
from trygg.measures.models import ActionPlan, Measure, PlanGoal, PlanProblem, Status
from trygg.organisations.models import Organisation
from trygg.places.models import Area
from trygg.situation.models import AnnualReport

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A new measure starts open; done and cancelled are reached through its status changes.
NEW_MEASURE_STATUSES = [
    (code, label) for code, label in Status.choices if code not in (Status.DONE, Status.CANCELLED)
]


class PlanForm(forms.Form):
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=160,
        help_text=_("T.ex. ”Åtgärdsplan för ett tryggare Karlstad 2026–2027”."),
    )
    start = forms.DateField(label=_("Gäller från"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Gäller till och med"), widget=DATE_INPUT)
    annual_report = forms.ModelChoiceField(
        label=_("Bygger på den årliga lägesbilden"),
        queryset=AnnualReport.objects.none(),
        required=False,
        empty_label=_("Ingen årlig lägesbild"),
        help_text=_("Problemen i planen kan då hämta sina siffror ur lägesbilden."),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        reports = AnnualReport.objects.filter(municipality=municipality).order_by("-year")
        field = self.fields["annual_report"]
        field.queryset = reports
        field.label_from_instance = lambda report: _("Lägesbild %(year)s") % {"year": report.year}
        if not self.is_bound and "annual_report" not in self.initial:
            self.initial["annual_report"] = reports.first()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Planen kan inte sluta innan den börjar."))
        return cleaned

    @staticmethod
    def initial_for(plan: ActionPlan) -> dict:
        return {
            "title": plan.title,
            "start": plan.start,
            "end": plan.end,
            "annual_report": plan.annual_report,
        }


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("Mål"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicator = forms.CharField(
        label=_("Hur målet följs upp"),
        max_length=200,
        required=False,
        help_text=_("T.ex. antal rapporterade skadegörelser i Kronoparken per tertial."),
    )


class _GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanGoal) -> str:
        return obj.text[:80]


class _MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return _measure_label(obj)


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Problem"), max_length=160)
    goal = _GoalChoiceField(
        label=_("Hör till målet"),
        queryset=PlanGoal.objects.none(),
        required=False,
        empty_label=_("Inget mål ännu"),
    )
    category = forms.TypedChoiceField(
        label=_("Kategori"), coerce=int, required=False, empty_value=None
    )
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Hela kommunen"),
    )
    evidence = forms.CharField(
        label=_("Vad lägesbilden visar"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Siffror och iakttagelser ur lägesbilden som visar problemet. Skriv aldrig "
            "namn eller andra uppgifter om personer."
        ),
    )

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = plan.goals.filter(
            municipality_id=plan.municipality_id  # one shard on Citus
        )
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = (
            Area.objects.current().filter(municipality_id=plan.municipality_id).defer("geometry")
        )
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Ingen särskild kategori"))
        ] + [(category.pk, "\u2003" * depth + category.name) for category, depth in category_tree()]

    def clean_category(self) -> Category | None:
        pk = self.cleaned_data.get("category")
        return None if pk is None else Category.objects.get(pk=pk)

    @staticmethod
    def initial_for(problem) -> dict:
        return {
            "title": problem.title,
            "goal": problem.goal_id,
            "category": problem.category_id,
            "area": problem.area_id,
            "evidence": problem.evidence,
        }


class AttachForm(forms.Form):
    measure = _MeasureChoiceField(
        label=_("Befintlig åtgärd"),
        queryset=Measure.objects.none(),
        empty_label=_("Välj en åtgärd"),
    )

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["measure"])
        # The municipality's measures that are not in this plan yet; a measure under a
        # problem of another plan may be moved here, and its label says where it is now.
        # Every table read names the municipality (Citus, one shard): the plan's problems in
        # a subquery, and the measures' current problems and plans read apart rather than
        # outer-joined.
        municipality_id = plan.municipality_id
        in_plan = PlanProblem.objects.filter(municipality_id=municipality_id, plan=plan)
        problems = PlanProblem.objects.filter(
            municipality_id=municipality_id, plan__municipality_id=municipality_id
        ).select_related("plan")
        field.queryset = (
            Measure.objects.filter(municipality_id=municipality_id)
            .exclude(status=Status.CANCELLED)
            .filter(Q(problem__isnull=True) | ~Q(problem__in=in_plan.values("pk")))
            .prefetch_related(Prefetch("problem", queryset=problems))
            .order_by("due", "title", "pk")
        )


def _measure_label(measure: Measure) -> str:
    parts = [measure.title, str(Status(measure.status).label)]
    if measure.due:
        parts.append(str(_("klar senast %(due)s")) % {"due": measure.due.isoformat()})
    if measure.problem is not None:  # prefetched by the form: no query
        parts.append(str(_("nu i planen %(plan)s")) % {"plan": measure.problem.plan.title})
    return " – ".join(parts)


class PlanMeasureForm(forms.Form):
    """A new measure under a problem; category and area start as the problem's."""

    title = forms.CharField(label=_("Rubrik"), max_length=160)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Ingen ännu"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=NEW_MEASURE_STATUSES, initial=Status.AGREED
    )
    due = forms.DateField(label=_("Klar senast"), required=False, widget=DATE_INPUT)
    cost = forms.DecimalField(
        label=_("Kostnad (kr)"), required=False, min_value=0, max_digits=12, decimal_places=0
    )

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        responsible = cast(forms.ModelChoiceField, self.fields["responsible"])
        responsible.queryset = Organisation.objects.filter(
            municipality_id=plan.municipality_id
        ).order_by("name")


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Antagen den"), widget=DATE_INPUT)
    adopted_by_body = forms.CharField(
        label=_("Antagen av"),
        max_length=120,
        initial=_("kommunstyrelsen"),
        help_text=_(
            "Det organ som fattade beslutet, t.ex. kommunstyrelsen eller kommunfullmäktige."
        ),
    )


class FigureForm(forms.Form):
    """Which of the lägesbild's figures to keep in the problem's evidence."""

    figure = forms.ChoiceField(label=_("Siffra ur lägesbilden"))

    def __init__(self, *args, figures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [(f.key, f.heading) for f in figures]
