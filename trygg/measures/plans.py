"""Reading an åtgärdsplan: its goals and problems with the measures under each, how far the
work has come (per problem and for the whole plan), and what the annual lägesbild the plan
builds on says about a problem's category and area, offered as evidence."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygg.events.categories import CategoryTree
from trygg.measures import carried_out
from trygg.measures.carried_out import CarriedOut
from trygg.measures.models import ActionPlan, Measure, PlanGoal, PlanProblem, Status
from trygg.places.models import Area, Place
from trygg.places.queries import district_map
from trygg.situation import annual

# --- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a set of measures has come.

    Cancelled measures are counted and shown, but they are neither work left nor money to be
    spent, so the done share and the planned cost leave them out. The plan knows one cost per
    measure (the estimate); the cost of the measures that are done stands for what is spent."""

    total: int
    by_status: list[tuple[str, str, int]]  # (status, label, count) in the statuses' order
    done: int
    cancelled: int
    overdue: int
    done_percent: int | None  # of the measures that are not cancelled
    cost_planned: Decimal
    cost_spent: Decimal
    without_cost: int  # not cancelled and no cost given
    owners: list[tuple[str, int]]  # organisation name, measures; most first
    without_owner: int

    @property
    def active(self) -> int:
        return self.total - self.cancelled


def progress(measures: Iterable[Measure], today: dt.date | None = None) -> Progress:
    today = today or timezone.localdate()
    measures = list(measures)
    statuses = Counter(m.status for m in measures)
    live = [m for m in measures if m.status != Status.CANCELLED]
    done = [m for m in live if m.status == Status.DONE]
    owners = Counter(m.responsible.name for m in live if m.responsible is not None)
    return Progress(
        total=len(measures),
        by_status=[(code, str(label), statuses[code]) for code, label in Status.choices],
        done=len(done),
        cancelled=statuses[Status.CANCELLED],
        overdue=sum(1 for m in live if m.is_overdue(today)),
        done_percent=round(100 * len(done) / len(live)) if live else None,
        cost_planned=sum((m.cost for m in live if m.cost is not None), Decimal(0)),
        cost_spent=sum((m.cost for m in done if m.cost is not None), Decimal(0)),
        without_cost=sum(1 for m in live if m.cost is None),
        owners=sorted(owners.items(), key=lambda item: (-item[1], item[0])),
        without_owner=sum(1 for m in live if m.responsible_id is None),
    )


# --- the plan as one overview --------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    overdue: bool
    # What the measure carries out in apps above measures (a commitment in a medborgarlöfte).
    carries_out: tuple[CarriedOut, ...] = ()


@dataclass
class ProblemBlock:
    problem: PlanProblem
    measures: list[MeasureRow]
    progress: Progress
    # The page's forms for this problem (attach, new measure), filled in for coordinators.
    forms: dict = field(default_factory=dict)


@dataclass
class GoalBlock:
    goal: PlanGoal | None  # None: the problems not yet under a goal
    problems: list[ProblemBlock]


@dataclass(frozen=True)
class CarriedOutBlock:
    """One commitment the plan's measures carry out, with those measures."""

    item: CarriedOut
    measures: list[Measure]


@dataclass
class PlanOverview:
    plan: ActionPlan
    goals: list[GoalBlock]
    progress: Progress
    today: dt.date
    carried_out: list[CarriedOutBlock] = field(default_factory=list)

    @property
    def problems(self) -> list[ProblemBlock]:
        return [block for goal in self.goals for block in goal.problems]


def plan_overview(plan: ActionPlan, user, today: dt.date | None = None) -> PlanOverview:
    """Goals in order, their problems, and each problem's measures by due date. Problems
    without a goal come last; a goal without problems is still shown."""
    today = today or timezone.localdate()
    municipality_id = plan.municipality_id
    # Each sharded table read names the plan's municipality, so Citus sends every query to
    # one shard; the problems' optional goals are read apart rather than outer-joined.
    measures = list(
        Measure.objects.visible_to(user)
        .filter(
            municipality_id=municipality_id,
            problem__municipality_id=municipality_id,
            problem__plan=plan,
        )
        .select_related("responsible", "place", "area")
        .order_by("due", "pk")
    )
    by_problem: dict[int, list[Measure]] = {}
    for measure in measures:
        by_problem.setdefault(measure.problem_id, []).append(measure)
    carried = carried_out.for_measures(m.pk for m in measures)
    blocks: dict[int | None, list[ProblemBlock]] = {}
    goals_here = PlanGoal.objects.filter(municipality_id=municipality_id)
    problems = (
        plan.problems.filter(municipality_id=municipality_id)
        .select_related("category", "area")
        .prefetch_related(Prefetch("goal", queryset=goals_here))
    )
    for problem in problems:
        own = by_problem.get(problem.pk, [])
        rows = [MeasureRow(m, m.is_overdue(today), tuple(carried.get(m.pk, ()))) for m in own]
        blocks.setdefault(problem.goal_id, []).append(
            ProblemBlock(problem, rows, progress(own, today))
        )
    goals = [GoalBlock(goal, blocks.get(goal.pk, [])) for goal in goals_here.filter(plan=plan)]
    if blocks.get(None):
        goals.append(GoalBlock(None, blocks[None]))
    return PlanOverview(
        plan, goals, progress(measures, today), today, _carried_out_blocks(measures, carried)
    )


def _carried_out_blocks(measures: list[Measure], carried: dict) -> list[CarriedOutBlock]:
    """Each thing the plan's measures carry out, once, with the measures that do it."""
    by_item: dict[CarriedOut, list[Measure]] = {}
    for measure in measures:
        for item in carried.get(measure.pk, ()):
            by_item.setdefault(item, []).append(measure)
    return [CarriedOutBlock(item, found) for item, found in by_item.items()]


# --- what the annual lägesbild shows -------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One finding of the lägesbild about a problem, as a sentence ready to keep as evidence."""

    key: str
    heading: str
    text: str


def latest_version(plan: ActionPlan):
    """The annual lägesbild's latest kept version, or None."""
    report = plan.annual_report
    return None if report is None else report.latest()


def source_words(version) -> str:
    """'Lägesbild 2025, version 3': where a kept figure came from."""
    return _("Lägesbild %(year)s, version %(n)s") % {
        "year": version.report.year,
        "n": version.number,
    }


def lagesbild_figures(problem: PlanProblem, version=None) -> list[Figure]:
    """The figures of the plan's annual lägesbild for the problem's category and area.

    The lägesbild counts categories and districts separately (no cross table), so the
    category's and the area's figures come as separate sentences. The sentences are Swedish
    whatever the page's language: they become part of a document for the municipal board."""
    version = version or latest_version(problem.plan)
    if version is None:
        return []
    doc = version.generated
    figures: list[Figure] = []
    with translation.override("sv"):
        if problem.category_id is not None:
            figures += _category_figures(doc, problem.category)
        if problem.area is not None:
            figures += _area_figures(doc, problem.area)
    return figures


def evidence_with(problem: PlanProblem, figure: Figure, version) -> str:
    """The problem's evidence with `figure` added as a paragraph naming its source."""
    with translation.override("sv"):
        addition = f"{figure.text} ({source_words(version)})"
    if addition in problem.evidence:
        return problem.evidence
    return f"{problem.evidence.rstrip()}\n\n{addition}" if problem.evidence.strip() else addition


def _category_chain(category) -> list:
    """From the top-level category down to `category` (the lägesbild names categories by
    their Swedish names at the top two levels)."""
    tree = CategoryTree.load()
    return [tree.categories[pk] for pk in tree.chain(category.pk)]


def _category_figures(doc: dict, category) -> list[Figure]:
    sections, labels = doc["sections"], doc["labels"]
    chain = _category_chain(category)
    top = _row(sections["categories"]["rows"], chain[0].name_sv)
    if top is None:
        return [
            Figure(
                "category",
                chain[0].name_sv,
                _("%(name)s: inga händelser som alla samverkanspartner får se under %(now)s.")
                % {"name": chain[0].name_sv, "now": labels["now"]},
            )
        ]
    figures = [Figure("category", top["name"], _count_sentence(top, labels))]
    if len(chain) > 1:
        sub = _row(top.get("children", []), chain[1].name_sv)
        if sub is not None:
            figures.append(Figure("subcategory", sub["name"], _count_sentence(sub, labels)))
    years = _row(sections["years"]["rows"], chain[0].name_sv)
    if years is not None and len(sections["years"]["years"]) > 1:
        text = _years_sentence(top["name"], years, sections["years"])
        figures.append(Figure("years", top["name"], text))
    police = _row(sections["sources"]["rows"], chain[0].name_sv)
    if police is not None:
        figures.append(Figure("sources", top["name"], _source_sentence(police)))
    return figures


def _area_figures(doc: dict, area: Area) -> list[Figure]:
    sections, labels = doc["sections"], doc["labels"]
    district = _district_of(area)
    figures = []
    row = _row(sections["areas"]["rows"], district.name) if district is not None else None
    if district is not None and row is not None:
        text = _count_sentence(row, labels, of_all=_("av händelserna med känd stadsdel"))
        if district != area:
            text = (
                _("%(area)s ligger i stadsdelen %(district)s. ")
                % {"area": area.name, "district": district.name}
                + text
            )
        figures.append(Figure("area", row["name"], text))
    places = _top_places_in(sections["hotspots"]["places"], area)
    if places:
        listed = ", ".join(f"{p['name']} ({annual.number(p['now'])})" for p in places)
        figures.append(
            Figure(
                "places",
                area.name,
                _(
                    "Bland kommunens platser med flest händelser under %(now)s ligger i %(area)s: "
                    "%(places)s."
                )
                % {"now": labels["now"], "area": area.name, "places": listed},
            )
        )
    return figures


def _row(rows: list[dict], name: str) -> dict | None:
    return next((row for row in rows if row["name"] == name), None)


def _count_sentence(row: dict, labels: dict, of_all: str | None = None) -> str:
    text = _("%(name)s: %(n)s händelser under %(now)s") % {
        "name": row["name"],
        "n": annual.number(row["now"]),
        "now": labels["now"],
    }
    if row.get("share") is not None:
        text += " " + _("(%(share)s %% %(of_all)s)") % {
            "share": row["share"],
            "of_all": of_all or _("av alla händelser"),
        }
    text += "."
    if row["before"]:
        text += " " + _("Det är %(change)s.") % {
            "change": annual.change_words(row["now"], row["before"], labels["before"])
        }
        return text + " " + annual.verdict_words(row["verdict"])
    return text + " " + _("Under %(before)s registrerades inga.") % {"before": labels["before"]}


def _years_sentence(name: str, row: dict, section: dict) -> str:
    years = section["years"]
    counts = ", ".join(
        f"{annual.number(n)} ({year})" for year, n in zip(years, row["counts"], strict=True)
    )
    text = _("%(name)s år för år: %(counts)s.") % {"name": name, "counts": counts}
    if section.get("same_dates"):
        text += " " + _("Alla år räknas till samma datum som det år som inte är slut.")
    return text


def _source_sentence(row: dict) -> str:
    return _(
        "%(name)s: %(police)s av händelserna kom från polisen och %(others)s från "
        "partnernas rapporter, trygghetsvandringar och invånare."
    ) % {
        "name": row["name"],
        "police": annual.number(row["police"]),
        "others": annual.number(row["others"]),
    }


def _district_of(area: Area) -> Area | None:
    """The current district the area counts in, by the lägesbild's own rule."""
    district_id = district_map(area.municipality).get(area.pk)
    if district_id is None:
        return None
    return area if district_id == area.pk else Area.objects.defer("geometry").get(pk=district_id)


def _top_places_in(places: list[dict], area: Area) -> list[dict]:
    """The lägesbild's busiest places (kept by name) that lie in the area or its sub-areas."""
    area_ids = area.descendant_ids()
    names = set(
        Place.objects.filter(municipality_id=area.municipality_id, area_id__in=area_ids)
        .filter(name__in=[p["name"] for p in places])
        .values_list("name", flat=True)
    )
    return [p for p in places if p["name"] in names]
