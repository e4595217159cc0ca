"""Karlstad's samverkansöverenskommelse and medborgarlöfte 2023–2027 (issue 14, point 8).

Seed 003 (Karlstads kommun, 30 June 2023) is the source: the three problem areas, the focus on
drug- and alcohol-related crime, the period 1 July 2023 – 30 June 2027 "med möjlighet att
revidera", and every commitment in its column with its exact words (the police's list has six
items, the last one printed as a paragraph of its own; together six; the municipality four).
The rest is the demo's own and says so: the dates of Brå's steps in spring 2023 (the
dialogues are the demo's four, `dialogues.py`), the cause analysis, which commitments have a
measurable target, one revision in autumn 2024, and the figures entered by hand.

Computed indicators come from the demo's data as loaded: violence against the first half of
2023 is counted over the whole municipality, since the police's public events name only the
municipality (no district) and the generated partner reports start two years before today;
krogkontroller are measures the police mark done each month in the krogstråk (one summer
month without, so one tertial is behind); trygghetsvandringar are the demo's walks. A
status's state is the one its figures suggest where they suggest one, so the published
follow-ups say what the data says.

Everything goes through the promises' and measures' actions, as the coordinator and the
kommunpolis would enter it. The history is dated (2023–2027); follow-ups are made for the
tertials that have ended by today and published three weeks after (or today). Loading again
keeps up with time and repeats nothing: a later day adds the krogkontroller of the months
and the follow-ups of the tertials that have ended since; rows already there stay as they are.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from trygg.core.periods import MONTHS_SV
from trygg.demo import world
from trygg.demo.loader import Counts
from trygg.demo.promises_seed import (
    ADDED,
    ADOPTED_BY,
    ADOPTED_ON,
    AGREEMENT_TITLE,
    CAUSE_ANALYSIS,
    COMMITMENTS,
    COORDINATOR,
    DRUGS,
    END,
    FOCUS,
    KROG_CATEGORY,
    KROG_DESCRIPTION,
    KROG_PLACE,
    KROG_SKIPPED,
    KROG_TARGET,
    KROG_TITLE,
    KROGKONTROLLER,
    PARTIES,
    POLICE,
    PROBLEMS,
    PROMISE_TITLE,
    PUBLISHED_AFTER,
    RANKING,
    REVISION_CHANGES,
    REVISION_ON,
    START,
    STEPS,
    CommitmentSpec,
    P,
)
from trygg.events.models import Category
from trygg.measures import indicators
from trygg.measures.actions import create_measure, set_measure_status
from trygg.measures.models import Measure, Status
from trygg.organisations.models import Organisation
from trygg.organisations.shards import children
from trygg.places.models import Area, Place
from trygg.promises.actions.agreements import PartyInput, create_agreement, mark_step
from trygg.promises.actions.follow_ups import (
    commitments_followed,
    open_follow_up,
    publish_follow_up,
    record_status,
)
from trygg.promises.actions.problems import add_problem, rank_problems, record_cause_analysis
from trygg.promises.actions.promises import (
    FIELDS,
    CommitmentInput,
    add_commitment,
    adopt,
    create_promise,
    update_commitment,
)
from trygg.promises.models import (
    ENTERED,
    Agreement,
    Commitment,
    CommitmentState,
    FollowUp,
    Promise,
)
from trygg.promises.progress import follow_up_periods, target_progress
from trygg.promises.snapshot import target_text


def load_promises(municipality, today: dt.date) -> Counts:
    """The agreement, the promise with its revision and the follow-ups of the tertials that
    have ended by `today`. Loaded again (on a later day), it adds what has happened since,
    the same way: the krogkontroller of the months since and the follow-ups of the tertials
    that have ended since; what is there is left as it is."""
    counts = Counts()
    agreement = Agreement.objects.filter(municipality=municipality, title=AGREEMENT_TITLE).first()
    promise = (
        children(agreement, "promises").filter(title=PROMISE_TITLE).first() if agreement else None
    )
    if agreement is not None and promise is None:  # someone removed the demo's promise
        counts.add(False)
        return counts
    with transaction.atomic():
        context = _context(municipality)
        controls = _krogkontroller(context, today)
        if promise is None:
            promise = _create(municipality, context)  # links the krogkontroller as it adds
        elif controls:
            _link_krogkontroller(promise, context)
        # The first load's follow-ups are a catch-up from nothing: one way, whatever the day.
        follow_ups = _catch_up(promise, context, today)
    counts.add(agreement is None)
    counts.notes.append(
        f"{children(promise, 'versions').count()} versioner, {follow_ups} nya publicerade "
        f"uppföljningar (av {children(promise, 'follow_ups').count()}), "
        f"{controls} nya krogkontroller"
    )
    return counts


def _context(municipality) -> _Context:
    User = get_user_model()
    users = {name: User.objects.get(username=name) for name in (COORDINATOR, POLICE)}
    organisations = {o.code: o for o in Organisation.objects.filter(municipality=municipality)}
    return _Context(municipality, organisations, users)


def _create(municipality, context: _Context) -> Promise:
    """The agreement, Brå's steps, the problems and the promise as first adopted."""
    coordinator = context.users[COORDINATOR]
    organisations = context.organisations
    agreement = create_agreement(
        municipality,
        title=AGREEMENT_TITLE,
        start=START,
        end=END,
        parties=[
            PartyInput(organisations[code], role, adopted_by, decided_on)
            for code, role, adopted_by, decided_on in PARTIES
        ],
        acting_user=coordinator,
    )
    for step, day, note in STEPS:
        mark_step(agreement, step, done_on=day, note=note, acting_user=coordinator)
    problems = _problems(agreement, municipality, coordinator, context.users[POLICE])
    promise = create_promise(
        agreement,
        title=PROMISE_TITLE,
        start=START,
        end=END,
        focus=FOCUS,
        problems=[problems[title] for title in RANKING],
        acting_user=coordinator,
    )
    for spec in COMMITMENTS:
        add_commitment(promise, context.data(spec), acting_user=context.writer(spec))
    adopt(promise, adopted_on=ADOPTED_ON, adopted_by=ADOPTED_BY, acting_user=coordinator)
    return promise


def _catch_up(promise: Promise, context: _Context, today: dt.date) -> int:
    """Follow up each tertial that has ended by `today` and has no follow-up yet, in order,
    with the revision where it falls between them; how many follow-ups it made."""
    followed = set(children(promise, "follow_ups").values_list("first_day", "last_day"))
    specs = {(s.text, s.column): s for s in (*COMMITMENTS, ADDED)}
    made = 0
    for index, period in enumerate(follow_up_periods(promise)):
        if period[1] >= today or period in followed:
            continue
        # In the order it happened: the follow-ups published before the revision first.
        if not _revised(promise) and _published_on(period, today) >= REVISION_ON:
            _revise(promise, context)
        _follow_up(promise, period, index, specs, context, today)
        made += 1
    if not _revised(promise) and today > REVISION_ON:
        _revise(promise, context)
    return made


def _problems(agreement, municipality, coordinator, police) -> dict:
    categories = {c.code: c for c in Category.objects.all()}
    districts = {
        a.name: a
        for a in Area.objects.current().filter(municipality=municipality, kind=Area.Kind.DISTRICT)
    }
    problems = {
        spec.title: add_problem(
            agreement,
            title=spec.title,
            categories=[categories[code] for code in spec.categories],
            areas=[districts[name] for name in spec.districts if name in districts],
            notes=spec.notes,
            acting_user=coordinator,
        )
        for spec in PROBLEMS
    }
    rank_problems(agreement, [problems[title] for title in RANKING], acting_user=coordinator)
    record_cause_analysis(problems[DRUGS], **CAUSE_ANALYSIS, acting_user=police)
    return problems


def _krogkontroller(context: _Context, today: dt.date) -> int:
    """One done measure per month in the krogstråk (the police's), as the kommunpolis logs
    them: decided and done the same evening. Months already logged are left as they are."""
    police = context.users[POLICE]
    place = Place.objects.filter(external_id=KROG_PLACE).select_related("area").first()
    category = Category.objects.get(code=KROG_CATEGORY)
    logged = set(context.measures.filter(title__startswith=KROG_TITLE).values_list("title"))
    made = 0
    year, month = START.year, START.month
    while (day := _second_friday(year, month)) < today and day <= END:
        title = f"{KROG_TITLE}, {MONTHS_SV[month - 1]} {year}"
        if (year, month) not in KROG_SKIPPED and (title,) not in logged:
            measure = create_measure(
                context.municipality,
                acting_user=police,
                title=title,
                status=Status.IN_PROGRESS,
                responsible=context.organisations[world.POLISEN],
                place=place,
                area=place.area if place else None,
                category=category,
                description=KROG_DESCRIPTION,
                due=day,
                today=day,
            )
            set_measure_status(measure, Status.DONE, acting_user=police, today=day)
            made += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return made


def _link_krogkontroller(promise: Promise, context: _Context) -> None:
    """The krogkontroller logged since carry the commitment out too, as the first ones do."""
    krog = (
        children(promise, "commitments")
        .filter(text=KROGKONTROLLER, column=P, removed_in=None)
        .first()
    )
    if krog is None:
        return
    measures = list(context.measures.filter(title__startswith=KROG_TITLE))
    data = CommitmentInput(**{name: getattr(krog, name) for name in FIELDS}, measures=measures)
    update_commitment(krog, data, acting_user=context.writer(_spec(KROGKONTROLLER)))


def _second_friday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(4 - first.weekday()) % 7 + 7)


class _Context:
    """What turns a spec into the action's input: the rows it names, and who enters it (the
    kommunpolis for the police's commitments, the coordinator for the rest)."""

    def __init__(self, municipality, organisations, users):
        self.municipality = municipality
        self.organisations = organisations
        self.users = users
        self.categories = {c.code: c for c in Category.objects.all()}
        self.districts = {
            a.name: a
            for a in Area.objects.current().filter(
                municipality=municipality, kind=Area.Kind.DISTRICT
            )
        }
        self.measures = Measure.objects.filter(municipality=municipality)

    def writer(self, spec: CommitmentSpec):
        return self.users[POLICE if spec.owner == world.POLISEN else COORDINATOR]

    def data(self, spec: CommitmentSpec, target=None) -> CommitmentInput:
        value, comparison, per = target or spec.target or (None, "", "")
        if comparison == "fewer":
            value = None
        measures = list(self.measures.filter(title__in=spec.measures)) if spec.measures else []
        if spec.text == KROGKONTROLLER:
            measures = list(self.measures.filter(title__startswith=KROG_TITLE))
        return CommitmentInput(
            column=spec.column,
            text=spec.text,
            owner=self.organisations[spec.owner],
            indicator_kind=spec.indicator_kind,
            indicator_category=self.categories[spec.category] if spec.category else None,
            indicator_area=self.districts.get(spec.district) if spec.district else None,
            target_value=None if value is None else Decimal(value),
            target_comparison=comparison,
            target_per=per,
            baseline_start=spec.baseline[0] if spec.baseline else None,
            baseline_end=spec.baseline[1] if spec.baseline else None,
            indicator_source=spec.source,
            measures=measures,
        )


def _spec(text: str) -> CommitmentSpec:
    return next(s for s in COMMITMENTS if s.text == text)


def _revised(promise: Promise) -> bool:
    return children(promise, "versions").count() > 1


def _revise(promise: Promise, context: _Context) -> None:
    krog = children(promise, "commitments").get(text=KROGKONTROLLER, column=P)
    spec = _spec(KROGKONTROLLER)
    update_commitment(krog, context.data(spec, KROG_TARGET), acting_user=context.writer(spec))
    add_commitment(promise, context.data(ADDED), acting_user=context.writer(ADDED))
    adopt(
        promise,
        adopted_on=REVISION_ON,
        adopted_by=ADOPTED_BY,
        changes=REVISION_CHANGES,
        acting_user=context.users[COORDINATOR],
    )


def _published_on(period: tuple[dt.date, dt.date], today: dt.date) -> dt.date:
    return min(period[1] + PUBLISHED_AFTER, today)


def _follow_up(promise, period, index: int, specs: dict, context: _Context, today) -> FollowUp:
    first, last = period
    coordinator = context.users[COORDINATOR]
    follow_up = open_follow_up(promise, first_day=first, last_day=last, acting_user=coordinator)
    states: dict[str, list[Commitment]] = {}
    for commitment in commitments_followed(follow_up):
        # A commitment someone added in the demo has no spec: followed as its owner would.
        spec = specs.get((commitment.text, commitment.column)) or CommitmentSpec(
            commitment.column, commitment.text, commitment.owner.code
        )
        state, value, note = _status(commitment, spec, first, last, index)
        record_status(
            follow_up,
            commitment,
            state=state,
            value=value,
            value_source=commitment.indicator_source if value is not None else "",
            note=note,
            acting_user=context.writer(spec),
        )
        states.setdefault(state, []).append(commitment)
    return publish_follow_up(
        follow_up,
        summary=_summary(period, states),
        next_steps=_next_steps(promise, period),
        published_on=_published_on(period, today),
        acting_user=coordinator,
    )


def _status(commitment, spec: CommitmentSpec, first, last, index: int):
    """(state, entered value, note): the state the figures suggest where they suggest one."""
    if commitment.indicator_kind == ENTERED and spec.values:
        value = spec.values[index % len(spec.values)]
        if commitment.target_value is not None and value < commitment.target_value:
            note = "Färre besök under sommarlovet, när skolorna har stängt."
            return CommitmentState.BEHIND, Decimal(value), note
        return CommitmentState.ON_PLAN, Decimal(value), ""
    progress = target_progress(commitment, first, last)
    if progress is None:
        return CommitmentState.ON_PLAN, None, ""
    state = progress.suggested or CommitmentState.ON_PLAN
    return state, None, _figures_note(commitment, progress)


VERDICT_NOTES = {
    "more": "Fler våldshändelser än under första halvåret 2023: patrullerna läggs om efter "
    "lägesbilden.",
    "fewer": "Färre våldshändelser än under första halvåret 2023.",
    "no_clear_change": "Ingen tydlig skillnad mot första halvåret 2023.",
    "too_few": "För få händelser för att säga om det blivit färre.",
}


def _figures_note(commitment, progress) -> str:
    if progress.verdict:
        return VERDICT_NOTES.get(progress.verdict, "")
    if progress.months_met:
        met, months = progress.months_met
        return f"Krogkontroll under {met} av periodens {months} månader."
    if progress.suggested == CommitmentState.BEHIND:
        kind = indicators.kind(commitment.indicator_kind)
        unit = str(kind.unit).capitalize() if kind else "Värdet"
        return f"{unit} hittills: {progress.value}; målet är {target_text(commitment)}."
    return ""


def _period_name(first: dt.date, last: dt.date) -> str:
    return f"{MONTHS_SV[first.month - 1]}–{MONTHS_SV[last.month - 1]} {last.year}"


def _summary(period, states: dict[str, list[Commitment]]) -> str:
    total = sum(len(rows) for rows in states.values())
    on_plan = len(states.get(CommitmentState.ON_PLAN, [])) + len(
        states.get(CommitmentState.DONE, [])
    )
    behind = states.get(CommitmentState.BEHIND, [])
    text = (
        f"Uppföljning av medborgarlöftet för {_period_name(*period)}: {on_plan} av {total} "
        "åtaganden går enligt plan"
    )
    if not behind:
        return text + "."
    names = "; ".join(_short(c.text) for c in behind)
    return f"{text} och {len(behind)} ligger efter ({names})."


def _short(text: str) -> str:
    words = text.rstrip(".").split()
    return " ".join(words[:6]) + (" …" if len(words) > 6 else "")


def _next_steps(promise: Promise, period) -> str:
    periods = follow_up_periods(promise)
    later = [p for p in periods if p[0] > period[1]]
    text = "Det som ligger efter tas upp på nästa EST-möte, med vad som behöver göras annorlunda."
    if later:
        text += f" Nästa uppföljning gäller {_period_name(*later[0])}."
    return text
