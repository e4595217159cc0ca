"""The EST meeting record: organisations present (never people), the pack it looked at, the
ranked places for the next period, decisions that open measures in one step; and the measures
part of the weekly meeting pack (opened, due, overdue)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import at
from trygg.events.models import Visibility
from trygg.measures.actions import create_measure, create_meeting, set_meeting_priorities
from trygg.measures.models import (
    Decision,
    Measure,
    Meeting,
    MeetingPriority,
    Notification,
    ResponsibilityRule,
    Status,
)
from trygg.measures.pack import due_window, measures_for_pack
from trygg.places.tests.factories import make_place
from trygg.situation.models import MeetingPack

TODAY = dt.date(2026, 11, 18)  # a Wednesday
# The meeting is held today; the pack's due window starts from it.
pytestmark = [pytest.mark.django_db, pytest.mark.frozen(at(TODAY))]
WEEK_START, WEEK_END = dt.date(2026, 11, 9), dt.date(2026, 11, 16)  # the pack's week


def make_pack(municipality, *, flagged=(), start=WEEK_START, end=WEEK_END) -> MeetingPack:
    return MeetingPack.objects.create(
        municipality=municipality,
        period_kind="week",
        period_start=start,
        period_end=end,
        label=f"Mötesunderlag {start:%G-W%V}",
        content={"flagged": list(flagged)},
    )


@pytest.fixture
def meeting(karlstad, coordinator, kommunen, polisen):
    return create_meeting(
        karlstad,
        held_on=TODAY,
        organisations=[kommunen, polisen],
        pack=make_pack(karlstad),
        acting_user=coordinator,
    )


def url(meeting, suffix="") -> str:
    return f"/atgarder/moten/{meeting.pk}/{suffix}"


def management(total: int, initial: int) -> dict:
    return {
        "prioritet-TOTAL_FORMS": str(total),
        "prioritet-INITIAL_FORMS": str(initial),
        "prioritet-MIN_NUM_FORMS": "0",
        "prioritet-MAX_NUM_FORMS": "1000",
    }


def row(i: int, *, rank="", place="", area="", note="", delete=False) -> dict:
    data = {
        f"prioritet-{i}-rank": str(rank),
        f"prioritet-{i}-place": place and str(place),
        f"prioritet-{i}-area": area and str(area),
        f"prioritet-{i}-note": note,
    }
    if delete:
        data[f"prioritet-{i}-DELETE"] = "on"
    return data


def written_counts() -> tuple[int, ...]:
    return (
        Meeting.objects.count(),
        MeetingPriority.objects.count(),
        Decision.objects.count(),
        Measure.objects.count(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )


# --- the meeting -------------------------------------------------------------------------------


def test_a_coordinator_records_a_meeting_with_the_organisations_present_and_its_pack(
    client, coordinator, karlstad, kommunen, polisen, bostadsbolaget
):
    pack = make_pack(karlstad)
    client.force_login(coordinator)
    response = client.post(
        f"/atgarder/moten/nytt/?kommun={karlstad.pk}",
        {
            "held_on": "2026-11-18",
            "organisations": [kommunen.pk, polisen.pk],
            "pack": pack.pk,
            "notes": "Polisen rapporterade. Ring 070-123 45 67 vid frågor.",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url(meeting)
    assert set(meeting.organisations.all()) == {kommunen, polisen}
    assert meeting.pack == pack and meeting.held_on == TODAY
    assert "070-123 45 67" not in meeting.notes
    audit = AuditEntry.objects.filter(object_type="measures.meeting", object_id=str(meeting.pk))
    assert audit.filter(action="create", actor=coordinator).exists()
    assert audit.filter(field="organisations").exists()


def test_a_new_meeting_from_a_pack_has_that_pack_chosen_and_otherwise_the_latest(
    client, coordinator, karlstad
):
    older = make_pack(karlstad, start=dt.date(2026, 11, 2), end=WEEK_START)
    latest = make_pack(karlstad)
    client.force_login(coordinator)

    from_pack = client.get(f"/atgarder/moten/nytt/?underlag={older.pk}")
    plain = client.get("/atgarder/moten/nytt/")

    assert from_pack.context["form"]["pack"].value() == older.pk
    assert plain.context["form"]["pack"].value() == latest.pk
    assert plain.context["form"]["held_on"].value() == timezone.localdate()


def test_editing_a_meeting_changes_who_was_present_with_an_audit_row(
    client, coordinator, meeting, bostadsbolaget, kommunen
):
    client.force_login(coordinator)
    shown = client.get(url(meeting, "andra/")).context["form"]
    assert shown["pack"].value() == meeting.pack_id
    assert sorted(shown["organisations"].value()) == sorted(
        o.pk for o in meeting.organisations.all()
    )
    response = client.post(
        url(meeting, "andra/"),
        {
            "held_on": "2026-11-18",
            "organisations": [kommunen.pk, bostadsbolaget.pk],
            "notes": "",
        },
    )

    assert response.status_code == 302
    assert set(meeting.organisations.all()) == {kommunen, bostadsbolaget}
    assert AuditEntry.objects.filter(
        object_id=str(meeting.pk), field="organisations", action="update"
    ).exists()


def test_the_meeting_list_shows_each_meeting_with_its_counts(client, analyst, meeting):
    Decision.objects.create(meeting=meeting, text="Mer belysning")
    client.force_login(analyst)
    response = client.get("/atgarder/moten/")

    listed = response.context["meetings"][0]
    assert listed == meeting
    assert listed.organisation_count == 2 and listed.decision_count == 1
    assert "Nytt EST-möte" not in response.content.decode()


# --- the priority list -------------------------------------------------------------------------


def test_the_priority_list_is_replaced_by_the_rows_in_the_order_of_their_ranks(
    client, coordinator, meeting, karlstad, centrum, kronoparken
):
    torget = make_place(karlstad)
    set_meeting_priorities(meeting, [{"place": torget, "note": "klotter"}], acting_user=coordinator)
    client.force_login(coordinator)
    data = management(total=4, initial=1)
    data |= row(0, rank=1, place=torget.pk, delete=True)
    data |= row(1, rank=3, area=centrum.pk, note="Bråk vid busstorget")
    data |= row(2, rank=2, area=kronoparken.pk, note="Bränder i soprum")
    data |= row(3)  # an empty new row: left out, not an error

    response = client.post(url(meeting, "prioriteringar/"), data)

    assert response.status_code == 302
    rows = list(meeting.priorities.values_list("rank", "area__name", "place", "note"))
    assert rows == [
        (1, "Kronoparken", None, "Bränder i soprum"),
        (2, "Centrum", None, "Bråk vid busstorget"),
    ]
    assert AuditEntry.objects.filter(
        object_id=str(meeting.pk), field="priorities", new="1. Kronoparken; 2. Centrum"
    ).exists()


def test_a_priority_row_with_a_note_but_no_place_is_refused_and_the_old_list_stays(
    client, coordinator, meeting, karlstad
):
    set_meeting_priorities(meeting, [{"place": make_place(karlstad)}], acting_user=coordinator)
    client.force_login(coordinator)
    data = management(total=1, initial=0) | row(0, rank=1, note="Något otryggt")

    response = client.post(url(meeting, "prioriteringar/"), data)

    assert response.status_code == 400
    assert "Välj en plats eller ett område för raden." in response.content.decode()
    assert list(meeting.priorities.values_list("place__name", flat=True)) == ["Stora torget"]


def test_the_same_place_twice_in_the_priority_list_is_refused(
    client, coordinator, meeting, karlstad
):
    torget = make_place(karlstad)
    client.force_login(coordinator)
    data = management(total=2, initial=0) | row(0, place=torget.pk) | row(1, place=torget.pk)

    response = client.post(url(meeting, "prioriteringar/"), data)

    assert response.status_code == 400
    assert "Stora torget står två gånger i listan." in response.content.decode()
    assert not meeting.priorities.exists()


# --- decisions -----------------------------------------------------------------------------------


def test_a_decision_that_becomes_a_measure_opens_it_agreed_with_the_rules_suggested_owner(
    client, coordinator, meeting, karlstad, category, bostadsbolaget, kommunen
):
    ResponsibilityRule.objects.create(
        municipality=karlstad, organisation=bostadsbolaget, category=category
    )
    torget = make_place(karlstad, manager=kommunen)
    client.force_login(coordinator)
    response = client.post(
        url(meeting, "beslut/"),
        {
            "text": "Sanera klottret på torget inom två veckor.",
            "becomes_measure": "on",
            "title": "Klottersanering Stora torget",
            "category": category.pk,
            "place": torget.pk,
            "responsible": "",
            "due": "2026-12-02",
            "cost": "12000",
            "action": "save",
        },
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    measure = decision.measure
    assert measure.status == Status.AGREED and measure.title == "Klottersanering Stora torget"
    assert measure.responsible == bostadsbolaget  # the rule, not the place's manager
    assert measure.due == dt.date(2026, 12, 2) and measure.cost == 12000
    assert measure.description == decision.text
    assert Notification.objects.filter(
        measure=measure, kind=Notification.Kind.ASSIGNED, organisation=bostadsbolaget
    ).exists()
    assert AuditEntry.objects.filter(object_type="measures.decision", action="create").exists()


def test_suggesting_the_owner_fills_in_the_form_says_why_and_writes_nothing(
    client, coordinator, meeting, karlstad, category, bostadsbolaget
):
    rule = ResponsibilityRule.objects.create(
        municipality=karlstad, organisation=bostadsbolaget, category=category
    )
    before = written_counts()
    client.force_login(coordinator)
    response = client.post(
        url(meeting, "beslut/"),
        {
            "text": "Sanera",
            "title": "Klotter",
            "category": category.pk,
            "action": "suggest",
        },
    )

    assert response.status_code == 200
    form = response.context["decision_form"]
    assert form["responsible"].value() == bostadsbolaget.pk
    assert form["becomes_measure"].value() is True
    assert rule.describe() in response.content.decode()
    assert written_counts() == before


def test_without_a_rule_the_place_manager_is_suggested_and_the_reason_is_shown(
    client, coordinator, meeting, karlstad, kommunen, polisen
):
    torget = make_place(karlstad, manager=polisen)
    client.force_login(coordinator)
    response = client.post(
        url(meeting, "beslut/"), {"text": "", "place": torget.pk, "action": "suggest"}
    )

    assert response.context["decision_form"]["responsible"].value() == polisen.pk
    assert "platsens förvaltare" in response.content.decode()


def test_a_decision_without_a_measure_creates_none(client, coordinator, meeting):
    client.force_login(coordinator)
    response = client.post(
        url(meeting, "beslut/"),
        {
            "text": "Gruppen följer läget vid skolan till nästa möte.",
            "action": "save",
            "title": "ignoreras utan kryss",
        },
    )

    assert response.status_code == 302
    assert Decision.objects.get().measure is None
    assert not Measure.objects.exists() and not Notification.objects.exists()


def test_a_measure_without_a_title_is_refused_in_swedish_and_nothing_is_written(
    client, coordinator, meeting, kommunen
):
    before = written_counts()
    client.force_login(coordinator)
    response = client.post(
        url(meeting, "beslut/"),
        {
            "text": "Sanera klottret.",
            "becomes_measure": "on",
            "title": "",
            "responsible": kommunen.pk,
            "action": "save",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ge åtgärden en rubrik." in page and "Beslutet kunde inte sparas" in page
    assert written_counts() == before


def test_a_decision_with_no_text_is_refused_in_swedish(client, coordinator, meeting):
    client.force_login(coordinator)
    response = client.post(url(meeting, "beslut/"), {"text": "  ", "action": "save"})

    assert response.status_code == 400
    assert "Skriv vad mötet beslutade." in response.content.decode()
    assert not Decision.objects.exists()


# --- the pack's flagged events -------------------------------------------------------------------


def test_flagged_events_show_only_what_the_user_may_see_and_become_a_linked_measure(
    client, coordinator, karlstad, kommunen, polisen, make_event, category
):
    shared = make_event(polisen, Visibility.PARTNERS, flagged=True)
    internal = make_event(polisen, Visibility.ORGANISATION, flagged=True)
    pack = make_pack(karlstad, flagged=[{"id": shared.pk}, {"id": internal.pk}])
    meeting = create_meeting(karlstad, held_on=TODAY, pack=pack, acting_user=coordinator)
    client.force_login(coordinator)

    page = client.get(url(meeting), {"handelse": shared.pk})
    assert list(page.context["flagged"]) == [shared]
    form = page.context["decision_form"]
    assert form["events"].value() == [shared.pk] and form["category"].value() == category.pk

    response = client.post(
        url(meeting, "beslut/"),
        {
            "text": "Klottret tas bort.",
            "becomes_measure": "on",
            "title": "Klotter",
            "category": category.pk,
            "events": [shared.pk],
            "responsible": kommunen.pk,
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert list(Decision.objects.get().measure.events.all()) == [shared]
    hidden = client.post(
        url(meeting, "beslut/"),
        {
            "text": "x",
            "becomes_measure": "on",
            "title": "x",
            "events": [internal.pk],
            "responsible": kommunen.pk,
            "action": "save",
        },
    )
    assert hidden.status_code == 400 and Decision.objects.count() == 1


# --- access --------------------------------------------------------------------------------------


POSTS = ["beslut/", "prioriteringar/", "andra/"]


@pytest.mark.parametrize("persona", ["analyst", "housing_reporter"])
@pytest.mark.parametrize("suffix", POSTS)
def test_staff_who_do_not_coordinate_get_403_on_writes_and_nothing_is_written(
    client, request, persona, suffix, meeting, kommunen, centrum
):
    client.force_login(request.getfixturevalue(persona))
    before = written_counts()
    data = {
        "text": "Beslut",
        "becomes_measure": "on",
        "title": "T",
        "responsible": kommunen.pk,
        "held_on": "2026-11-20",
        "action": "save",
    }
    data |= management(total=1, initial=0) | row(0, area=centrum.pk)

    assert client.post(url(meeting, suffix), data).status_code == 403
    assert written_counts() == before


@pytest.mark.parametrize("persona", ["analyst", "housing_reporter"])
def test_staff_who_do_not_coordinate_read_the_meeting_but_cannot_make_one(
    client, request, persona, meeting, karlstad, coordinator
):
    set_meeting_priorities(meeting, [{"place": make_place(karlstad)}], acting_user=coordinator)
    client.force_login(request.getfixturevalue(persona))
    page = client.get(url(meeting))

    assert page.status_code == 200 and page.context["decision_form"] is None
    assert "Stora torget" in page.content.decode() and "Spara beslutet" not in page.content.decode()
    assert client.get("/atgarder/moten/nytt/").status_code == 403
    response = client.post(f"/atgarder/moten/nytt/?kommun={karlstad.pk}", {"held_on": "2026-11-20"})
    assert response.status_code == 403 and Meeting.objects.count() == 1


def test_someone_from_another_municipality_gets_403_and_writes_nothing(
    client, other_municipality_user, meeting, karlstad
):
    client.force_login(other_municipality_user)
    before = written_counts()

    assert client.get(url(meeting)).status_code == 403
    assert client.post(url(meeting, "beslut/"), {"text": "x"}).status_code == 403
    assert client.get(f"/atgarder/moten/?kommun={karlstad.pk}").status_code == 403
    assert (
        client.post(
            f"/atgarder/moten/nytt/?kommun={karlstad.pk}", {"held_on": "2026-11-20"}
        ).status_code
        == 403
    )
    assert written_counts() == before


def test_a_resident_without_an_account_is_sent_to_log_in(client, meeting):
    for response in (
        client.get(url(meeting)),
        client.get("/atgarder/moten/"),
        client.post(url(meeting, "beslut/"), {"text": "x"}),
    ):
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert Decision.objects.count() == 0


# --- the measures part of the meeting pack -------------------------------------------------------


def opened_at(measure: Measure, day: dt.date) -> Measure:
    """Pretend the measure was made on `day` (created_at is set on insert)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Measure.objects.filter(pk=measure.pk).update(created_at=moment)
    return measure


def test_the_pack_lists_measures_opened_in_the_period_due_next_week_and_overdue(
    karlstad, coordinator, kommunen
):
    def measure(title, due, *, opened=dt.date(2026, 10, 1)):
        made = create_measure(
            karlstad,
            acting_user=coordinator,
            title=title,
            due=due,
            status=Status.AGREED,
            responsible=kommunen,
        )
        return opened_at(made, opened)

    new = measure("Ny belysning", dt.date(2027, 1, 15), opened=dt.date(2026, 11, 12))
    due_soon = measure("Klottersanering", dt.date(2026, 11, 20))
    late = measure("Röjning av buskar", dt.date(2026, 11, 3))
    done = measure("Trasig lampa", dt.date(2026, 11, 4))
    done.status = Status.DONE
    done.save()
    outside = measure("Nästa år", dt.date(2027, 3, 1), opened=WEEK_END)

    pack = measures_for_pack(karlstad, WEEK_START, WEEK_END, TODAY)

    def titles(key):
        return [row["title"] for row in pack[key]]

    assert titles("opened") == [new.title] and outside.title not in titles("opened")
    assert titles("due") == [due_soon.title]
    assert titles("overdue") == [late.title]
    assert pack["counts"] == {"opened": 1, "due": 1, "overdue": 1}
    assert pack["overdue"][0] | {"id": 0} == {
        "id": 0,
        "title": "Röjning av buskar",
        "responsible": kommunen.name,
        "due": "2026-11-03",
        "days_overdue": 15,
        "status": "agreed",
        "status_label": "beslutad",
        "where": "",
        "opened": "2026-10-01",
    }
    assert pack["due_window"] == {"start": "2026-11-18", "last_day": "2026-11-22"}


def test_the_due_window_is_the_coming_period_and_starts_today_when_the_pack_is_late():
    assert due_window(WEEK_START, WEEK_END, WEEK_END) == (WEEK_END, dt.date(2026, 11, 23))
    assert due_window(WEEK_START, WEEK_END, TODAY) == (TODAY, dt.date(2026, 11, 23))
    late = due_window(WEEK_START, WEEK_END, dt.date(2027, 1, 1))
    assert late[0] == late[1]  # that period is over: nothing is "coming" due in it


def test_the_pack_partial_renders_the_three_lists_as_captioned_tables(
    karlstad, coordinator, kommunen
):
    made = create_measure(
        karlstad,
        acting_user=coordinator,
        title="Röjning av buskar",
        due=dt.date(2026, 11, 3),
        status=Status.AGREED,
        responsible=kommunen,
    )
    data = measures_for_pack(karlstad, WEEK_START, WEEK_END, TODAY)

    html = render_to_string("measures/_pack_measures.html", {"measures": data})

    assert html.count("<caption>") == 3 and html.count("<table") == 3
    assert f'href="/atgarder/{made.pk}/"' in html and "<script" not in html
    assert "Försenade den 2026-11-18" in html
    assert render_to_string("measures/_pack_measures.html", {"measures": None}).strip() == ""
