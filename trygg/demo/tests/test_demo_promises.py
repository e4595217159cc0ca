"""The demo's agreement and medborgarlöfte 2023–2027 (issue 14, point 8): the seed's words in
their columns, one revision, and every tertial that has ended followed up and published."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import NOW, at
from trygg.demo import loader, world
from trygg.demo import measures as demo_measures
from trygg.demo import promises as demo_promises
from trygg.measures.models import Measure, Status
from trygg.organisations.models import Organisation
from trygg.promises.actions.follow_ups import commitments_followed
from trygg.promises.actions.promises import CommitmentInput, add_commitment, adopt
from trygg.promises.models import (
    Agreement,
    Commitment,
    CommitmentState,
    CommitmentStatus,
    FollowUp,
    Promise,
)
from trygg.promises.progress import follow_up_periods

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

# Seed 003 (Karlstads kommun, 2023-06-30), copied here word for word and independently of
# the demo module, so that a slip in either shows.
SEED = {
    "police": [
        "Arbeta med synlighet i kombination med uniformerad fotpatrullering kring platser och "
        "miljöer som utmärkt sig som otrygga/brottsbelastade i arbetet med lägesbilder.",
        "Trafikkontroller på riktade platser och tider relaterat till droger och alkohol i "
        "trafik samt motorburna ordningsstörningar.",
        "Genomföra krogkontroller samt insatser mot droganvändning i krogmiljön.",
        "Insatser mot narkotika och ungdomar och aktivt uppsöka riskmiljöer.",
        "Insatser mot narkotikadistribution då underrättelseläget medger detta.",
        "Besöka högstadieskolor och fritidsgårdar inom kommunen med fokus på brottspreventiva "
        "åtgärder och polisiär synlighet.",
    ],
    "together": [
        "Fortsätta utveckla samverkan mellan polis och socialtjänst relaterat till ungdomar och "
        "tidiga insatser.",
        "Genomföra samtal med ungdomar i riskzon bland annat genom SSPF-konceptet (skola, "
        "socialtjänst, polis, fritid).",
        "Genomföra kontinuerliga samverkansmöten enligt EST (effektiv samordning för trygghet) "
        "med uppdatering av aktuella lägesbilder i syfte att med gemensam kraft arbeta "
        "brottspreventivt och trygghetsskapande inom Karlstads kommun.",
        "Arbeta aktivt med att utveckla metoder och omsätta dessa i preventiva åtgärder "
        "inriktat mot våld i nära relation.",
        "Genomföra tillsyn på krogar och nattklubbar med inriktning mot överservering och "
        "ansvarsfull alkoholservering.",
        "Tillsammans med polisen utveckla det brottsförebyggande arbetet, både vad gäller "
        "situationell och social brottsprevention.",
    ],
    "municipality": [
        "Kontinuerligt kontrollera och följa upp aktuell intern lägesbild.",
        "Genomföra tillsyn på krogar och nattklubbar med inriktning mot överservering och "
        "ansvarsfull alkoholservering.",
        "Utveckla arbetet med ungdomar i riskzonen.",
        "Utveckla ANDTS-arbetet (alkohol, narkotika, dopning, tobak och spel).",
    ],
}
PROBLEM_AREAS = {
    "Våld i offentlig miljö",
    "Otrygga miljöer",
    "Narkotika- och alkoholrelaterad brottslighet",
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """What the promise stands on (districts, organisations, personas, places, the demo's
    measures) and the promise part, loaded once for the module and rolled back after it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        municipality = loader.karlstad()
        loader.load_districts(municipality)
        organisations = loader.load_organisations()
        loader.load_personas(organisations)
        loader.load_places(municipality, organisations)
        demo_measures.load_rules(municipality, organisations)
        today = timezone.localdate()
        demo_measures.load_measures(municipality, today)
        counts = demo_promises.load_promises(municipality, today)
        yield municipality, today, counts
        transaction.set_rollback(True)


@pytest.fixture
def promise(loaded, db) -> Promise:
    return Promise.objects.get(title=demo_promises.PROMISE_TITLE)


def by_column(commitments) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {"police": [], "together": [], "municipality": []}
    for commitment in commitments:
        columns[commitment["column"]].append(commitment["text"])
    return columns


def test_every_commitment_of_the_seed_is_in_its_column_word_for_word(promise):
    first = promise.versions.get(number=1).snapshot
    assert by_column(first["commitments"]) == SEED
    assert set(first["problems"]) == PROBLEM_AREAS
    assert first["start"] == "2023-07-01" and first["end"] == "2027-06-30"
    assert "narkotika- och alkoholrelaterad brottslighet" in first["focus"]
    owners = {c["owner"] for c in first["commitments"]}
    names = {
        spec.code: spec.name
        for spec in world.ORGANISATIONS
        if spec.code in {world.POLISEN, world.KOMMUNLEDNING}
    }
    assert set(names.values()) <= owners


def test_one_revision_adds_a_commitment_and_says_what_changed(promise):
    first, second = promise.versions.order_by("number")
    assert second.adopted_on == dt.date(2024, 10, 22) and second.is_revision
    assert "trygghetsvandringar" in second.changes and "krogkontroll" in second.changes
    columns = by_column(second.snapshot["commitments"])
    for column, texts in SEED.items():
        assert columns[column][: len(texts)] == texts  # nothing of the seed removed
    assert columns["together"][-1].startswith("Genomföra trygghetsvandringar")
    targets = {c["text"]: c["target"] for c in second.snapshot["commitments"]}
    before = {c["text"]: c["target"] for c in first.snapshot["commitments"]}
    krog = SEED["police"][2]
    assert (before[krog], targets[krog]) == ("", "minst 1 per månad")


def test_the_agreement_has_its_parties_brås_steps_in_spring_2023_and_ranked_problems(promise):
    agreement = promise.agreement
    parties = {p.role: (p.organisation.code, p.adopted_by) for p in agreement.parties.all()}
    assert parties == {
        "municipality": (world.KOMMUNLEDNING, "Kommunstyrelsen"),
        "police": (world.POLISEN, "Lokalpolisområde Karlstads ledningsgrupp"),
    }
    assert agreement.follow_up_interval == "tertial"
    steps = sorted(agreement.steps.all(), key=lambda s: s.position)
    days = [s.done_on for s in steps]
    assert all(dt.date(2023, 1, 1) <= d <= dt.date(2023, 6, 30) for d in days)
    assert days == sorted(days)
    problems = list(agreement.problems.all())
    assert [p.title for p in problems][0] == "Narkotika- och alkoholrelaterad brottslighet"
    assert {p.title for p in problems} == PROBLEM_AREAS
    assert [p.rank for p in problems] == [1, 2, 3]
    assert [p.has_cause_analysis for p in problems] == [True, False, False]
    assert problems[0].categories.filter(code="ordning.drog").exists()


def test_every_tertial_that_has_ended_is_followed_up_and_published(loaded, promise):
    _municipality, today, _counts = loaded
    ended = [p for p in follow_up_periods(promise) if p[1] < today]
    follow_ups = list(promise.follow_ups.order_by("first_day"))
    assert [(f.first_day, f.last_day) for f in follow_ups] == ended
    assert len(ended) == 10  # July–August 2023 to May–August 2026, on 22 November 2026
    for follow_up in follow_ups:
        assert follow_up.is_published and follow_up.published_on > follow_up.last_day
        assert follow_up.next_steps and follow_up.summary
        followed = set(commitments_followed(follow_up).values_list("pk", flat=True))
        assert set(follow_up.statuses.values_list("commitment_id", flat=True)) == followed
    assert promise.follow_ups.first().statuses.count() == 16
    assert promise.follow_ups.last().statuses.count() == 17


def test_the_computed_indicators_come_from_the_demos_data(promise):
    """The krogkontroller are measures the police marked done each month; the summer month
    without one puts May–August 2025 behind, as its figures say."""
    krog = promise.commitments.get(text=SEED["police"][2])
    for status in krog.statuses.select_related("follow_up"):
        follow_up = status.follow_up
        done = Measure.objects.filter(
            status=Status.DONE,
            done_on__gte=follow_up.first_day,
            done_on__lte=follow_up.last_day,
            title__startswith="Krogkontroll",
        )
        assert status.value == done.count()
        assert status.computed["period"]["value"] == done.count()
    summer = krog.statuses.get(follow_up__first_day=dt.date(2025, 5, 1))
    assert summer.state == CommitmentState.BEHIND
    assert summer.computed["target"]["months_met"] == [3, 4]
    assert krog.measures.filter(title__startswith="Krogkontroll").count() == 39
    violence = promise.commitments.get(text=SEED["police"][0])
    for status in violence.statuses.all():
        verdict = status.computed["target"]["verdict"]
        if verdict == "more":
            assert status.state == CommitmentState.BEHIND
        assert "baseline" in status.computed["period"]


def test_it_went_through_the_actions(promise):
    for obj, kind in ((promise.agreement, "agreement"), (promise, "promise")):
        assert AuditEntry.objects.filter(
            object_type=f"promises.{kind}", object_id=str(obj.pk), action="create"
        ).exists()
    assert AuditEntry.objects.filter(object_type="promises.commitmentstatus").count() == (
        sum(f.statuses.count() for f in FollowUp.objects.all())
    )


def test_loading_again_adds_nothing(loaded, promise):
    municipality, today, counts = loaded
    assert (counts.created, counts.updated) == (1, 0)
    before, audit_rows = written(), AuditEntry.objects.count()
    again = demo_promises.load_promises(municipality, today)
    assert (again.created, again.updated) == (0, 1)
    assert Agreement.objects.count() == 1 and FollowUp.objects.count() == 10
    assert written() == before and AuditEntry.objects.count() == audit_rows


# The Sep–Dec 2026 tertial has ended; December's and January's krogkontroller are logged.
LATER = at(dt.date(2027, 1, 12))


def written() -> dict[str, list]:
    """What the demo's promise consists of, row by row, to tell what a load changed."""
    commitment_fields = ["pk", "text", "column", "target_value", "added_in", "removed_in"]
    return {
        "agreements": list(Agreement.objects.values_list("pk", "title")),
        "versions": list(promise_versions()),
        "commitments": list(Commitment.objects.order_by("pk").values_list(*commitment_fields)),
        "follow_ups": list(
            FollowUp.objects.order_by("pk").values_list(
                "pk", "first_day", "summary", "next_steps", "published_on"
            )
        ),
        "statuses": list(
            CommitmentStatus.objects.order_by("pk").values_list(
                "pk", "follow_up", "commitment", "state", "value", "note", "computed"
            )
        ),
        "measures": list(Measure.objects.order_by("pk").values_list("pk", "title", "status")),
    }


def promise_versions():
    return Promise.objects.get().versions.order_by("pk").values_list("pk", "number", "snapshot")


def test_a_load_on_a_later_day_adds_the_follow_up_of_the_tertial_ended_since(
    loaded, promise, frozen_now
):
    municipality, _today, _counts = loaded
    before = written()
    frozen_now.move_to(LATER)
    counts = demo_promises.load_promises(municipality, timezone.localdate())
    assert (counts.created, counts.updated) == (0, 1)
    after = written()
    new = FollowUp.objects.get(first_day=dt.date(2026, 9, 1))
    assert [row[0] for row in after["follow_ups"]] == [row[0] for row in before["follow_ups"]] + [
        new.pk
    ]
    assert new.last_day == dt.date(2026, 12, 31) and new.published_on == LATER.date()
    assert new.summary.startswith("Uppföljning av medborgarlöftet för september–december 2026")
    followed = set(commitments_followed(new).values_list("pk", flat=True))
    assert set(new.statuses.values_list("commitment_id", flat=True)) == followed
    assert len(followed) == 17
    assert AuditEntry.objects.filter(object_type="promises.commitmentstatus").count() == (
        CommitmentStatus.objects.count()
    )
    # Nothing that was there changed; the only other new rows are the months' krogkontroller.
    for name in ("agreements", "versions", "commitments"):
        assert after[name] == before[name]
    assert after["follow_ups"][:-1] == before["follow_ups"]
    assert after["statuses"][: len(before["statuses"])] == before["statuses"]
    assert after["measures"][: len(before["measures"])] == before["measures"]
    assert [title for _pk, title, _status in after["measures"][len(before["measures"]) :]] == [
        "Krogkontroll i krogstråket, december 2026",
        "Krogkontroll i krogstråket, januari 2027",
    ]


def test_the_later_follow_up_has_computed_indicators_from_the_data_up_to_then(
    loaded, promise, frozen_now
):
    municipality, _today, _counts = loaded
    frozen_now.move_to(LATER)
    demo_promises.load_promises(municipality, timezone.localdate())
    krog = promise.commitments.get(text=SEED["police"][2])
    status = krog.statuses.get(follow_up__first_day=dt.date(2026, 9, 1))
    assert status.value == 4 and status.computed["period"]["value"] == 4
    assert status.computed["target"]["months_met"] == [4, 4]
    assert status.state == CommitmentState.ON_PLAN
    # The new krogkontroller carry the commitment out, as the first ones do.
    assert krog.measures.filter(title__startswith="Krogkontroll").count() == 41
    violence = promise.commitments.get(text=SEED["police"][0])
    figures = violence.statuses.get(follow_up__first_day=dt.date(2026, 9, 1)).computed
    assert "baseline" in figures["period"] and figures["target"]["verdict"]


def test_a_third_load_on_the_same_later_day_adds_nothing(loaded, promise, frozen_now):
    municipality, _today, _counts = loaded
    frozen_now.move_to(LATER)
    demo_promises.load_promises(municipality, timezone.localdate())
    before, audit_rows = written(), AuditEntry.objects.count()
    counts = demo_promises.load_promises(municipality, timezone.localdate())
    assert (counts.created, counts.updated) == (0, 1)
    assert written() == before and AuditEntry.objects.count() == audit_rows
    assert FollowUp.objects.count() == 11


def test_a_commitment_added_in_the_demo_is_followed_up_by_a_later_load(loaded, promise, frozen_now):
    """Someone trying the demo adds and adopts a commitment; a later load follows it up with
    the rest instead of failing on a commitment the demo did not write."""
    municipality, today, _counts = loaded
    coordinator = get_user_model().objects.get(username=demo_promises.COORDINATOR)
    owner = Organisation.objects.get(code=world.KOMMUNLEDNING)
    added = add_commitment(
        promise,
        CommitmentInput(column="municipality", text="Öppna fritidsgården i Rud", owner=owner),
        acting_user=coordinator,
    )
    adopt(
        promise,
        adopted_on=today,
        adopted_by="Kommunstyrelsen",
        changes="Ett nytt åtagande om fritidsgården i Rud.",
        acting_user=coordinator,
    )
    frozen_now.move_to(LATER)
    demo_promises.load_promises(municipality, timezone.localdate())
    status = added.statuses.get()
    assert status.follow_up.first_day == dt.date(2026, 9, 1)
    assert status.state == CommitmentState.ON_PLAN and status.follow_up.is_published
