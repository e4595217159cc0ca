"""Measures: made, assigned, moved on, commented, seen — by the right people, with the record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.events.models import Visibility
from trygg.measures import actions
from trygg.measures.models import Measure, MeasureEntry, Notification, ResponsibilityRule, Status
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import make_person

# Due dates and lateness are counted from today.
pytestmark = pytest.mark.frozen


@pytest.fixture
def measure(karlstad, coordinator, bostadsbolaget):
    return actions.create_measure(
        karlstad,
        acting_user=coordinator,
        title="Byt lås i trapphuset",
        status=Status.AGREED,
        responsible=bostadsbolaget,
        due=TODAY + dt.timedelta(days=14),
        today=TODAY,
    )


def audit_rows(obj, **filters):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), **filters
    )


# --- actions --------------------------------------------------------------------------------


def test_a_coordinator_assigns_a_measure_and_the_owner_is_notified(measure, bostadsbolaget):
    assert audit_rows(measure, action="create").exists()
    kinds = list(measure.entries.values_list("kind", flat=True))
    assert kinds == [MeasureEntry.Kind.CREATED, MeasureEntry.Kind.ASSIGNED]
    notice = Notification.objects.get(measure=measure)
    assert (notice.kind, notice.organisation, notice.sent_at) == (
        Notification.Kind.ASSIGNED,
        bostadsbolaget,
        None,
    )


def test_a_measures_timeline_and_notices_carry_its_municipality(measure, karlstad):
    rows = [*measure.entries.all(), *measure.notifications.all()]
    assert len(rows) == 3
    assert {row.municipality_id for row in rows} == {measure.municipality_id} == {karlstad.pk}


def test_free_text_in_a_measure_is_scrubbed(karlstad, coordinator):
    measure = actions.create_measure(
        karlstad,
        acting_user=coordinator,
        title="Samtal med 19850412-1230 " + "x" * 140,
        description="Ring 070-123 45 67 om nyckeln",
    )
    measure.refresh_from_db()
    assert "19850412-1230" not in measure.title
    assert len(measure.title) <= 160  # the marker is longer, the column is not
    assert "070-123 45 67" not in measure.description


def test_a_partner_may_propose_but_not_decide_a_measure(karlstad, housing_reporter):
    proposal = actions.create_measure(karlstad, acting_user=housing_reporter, title="Mer ljus")
    assert proposal.status == Status.PROPOSED
    with pytest.raises(PermissionDenied):
        actions.create_measure(
            karlstad, acting_user=housing_reporter, title="Beslutad", status=Status.AGREED
        )
    assert Measure.objects.count() == 1


def test_someone_from_another_municipality_cannot_add_measures_here(
    karlstad, other_municipality_user
):
    with pytest.raises(PermissionDenied):
        actions.create_measure(karlstad, acting_user=other_municipality_user, title="Nej")
    assert not Measure.objects.exists()


def test_the_responsible_organisation_reports_progress_and_completion(
    measure, housing_reporter, make_event, polisen, bostadsbolaget
):
    from_police = make_event(polisen)
    from_housing = make_event(bostadsbolaget)
    measure.events.add(from_police, from_housing)
    actions.set_measure_status(
        measure, Status.IN_PROGRESS, acting_user=housing_reporter, today=TODAY
    )
    actions.set_measure_status(
        measure, Status.DONE, acting_user=housing_reporter, today=TODAY + dt.timedelta(days=3)
    )
    measure.refresh_from_db()
    assert (measure.started_on, measure.done_on) == (TODAY, TODAY + dt.timedelta(days=3))
    assert audit_rows(measure, field="status", new=Status.DONE).exists()
    told = set(
        Notification.objects.filter(kind=Notification.Kind.DONE).values_list(
            "organisation", flat=True
        )
    )
    assert told == {polisen.pk, bostadsbolaget.pk}


def test_another_organisation_cannot_move_a_measure_it_does_not_own(
    karlstad, coordinator, kommunen, housing_reporter
):
    theirs = actions.create_measure(
        karlstad,
        acting_user=coordinator,
        title="Klipp buskar",
        status=Status.AGREED,
        responsible=kommunen,
    )
    with pytest.raises(PermissionDenied):
        actions.set_measure_status(theirs, Status.DONE, acting_user=housing_reporter)
    theirs.refresh_from_db()
    assert theirs.status == Status.AGREED


def test_cancelling_needs_a_reason_and_a_coordinator(measure, coordinator, housing_reporter):
    with pytest.raises(PermissionDenied):
        actions.set_measure_status(
            measure, Status.CANCELLED, acting_user=housing_reporter, reason="Inte vårt"
        )
    with pytest.raises(ValidationError) as error:
        actions.set_measure_status(measure, Status.CANCELLED, acting_user=coordinator)
    assert "reason" in error.value.message_dict
    actions.set_measure_status(
        measure, Status.CANCELLED, acting_user=coordinator, reason="Fastigheten är såld"
    )
    measure.refresh_from_db()
    assert (measure.status, measure.cancel_reason) == (Status.CANCELLED, "Fastigheten är såld")


def test_a_finished_measure_cannot_be_reopened(measure, coordinator):
    actions.set_measure_status(measure, Status.DONE, acting_user=coordinator)
    with pytest.raises(ValidationError):
        actions.set_measure_status(measure, Status.IN_PROGRESS, acting_user=coordinator)


def test_reassigning_queues_a_new_notice_for_the_new_owner(measure, coordinator, polisen):
    actions.assign_measure(measure, polisen, acting_user=coordinator)
    assert Notification.objects.filter(organisation=polisen, kind="assigned").count() == 1
    assert audit_rows(measure, field="responsible", new=polisen.pk).exists()


def test_changing_the_due_date_is_audited_and_shown_in_the_timeline(measure, coordinator):
    new_due = TODAY + dt.timedelta(days=30)
    actions.update_measure(measure, acting_user=coordinator, due=new_due)
    assert audit_rows(measure, field="due", new=str(new_due)).exists()
    assert measure.entries.filter(kind="edited", new=str(new_due)).exists()


def test_linking_an_event_the_user_cannot_see_is_refused(
    measure, coordinator, housing_reporter, make_event, polisen
):
    internal = make_event(polisen, visibility=Visibility.ORGANISATION)
    with pytest.raises(ValidationError):
        actions.link_events(measure, [internal], acting_user=coordinator)
    assert not measure.events.exists()


# --- pages ----------------------------------------------------------------------------------


def test_a_coordinator_creates_a_measure_on_the_page_with_the_suggested_owner(
    client, karlstad, coordinator, bostadsbolaget, category
):
    ResponsibilityRule.objects.create(
        municipality=karlstad, organisation=bostadsbolaget, category=category
    )
    client.force_login(coordinator)
    response = client.post(
        f"/atgarder/ny/?kommun={karlstad.pk}",
        {
            "title": "Sanera klotter",
            "category": category.pk,
            "status": Status.AGREED,
            "due": "2026-12-01",
            "description": "",
            "cost": "4500",
        },
    )
    measure = Measure.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/atgarder/{measure.pk}/"
    assert (measure.responsible, measure.status, measure.cost) == (
        bostadsbolaget,
        Status.AGREED,
        4500,
    )


def test_a_measure_without_a_title_is_not_saved_and_the_form_says_why(
    client, karlstad, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        f"/atgarder/ny/?kommun={karlstad.pk}", {"title": "", "status": "proposed"}
    )
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert not Measure.objects.exists()


def test_the_suggest_button_shows_the_rule_without_saving(
    client, karlstad, coordinator, bostadsbolaget, category
):
    ResponsibilityRule.objects.create(
        municipality=karlstad,
        organisation=bostadsbolaget,
        category=category,
        note="Klotter på KBAB:s hus",
    )
    client.force_login(coordinator)
    response = client.post(
        f"/atgarder/ny/?kommun={karlstad.pk}",
        {"title": "", "category": category.pk, "forslag": "1"},
    )
    assert response.status_code == 200
    assert bostadsbolaget.name in response.content.decode()
    assert not Measure.objects.exists()


def test_a_measure_made_from_an_event_links_it(client, karlstad, coordinator, make_event, polisen):
    event = make_event(polisen)
    client.force_login(coordinator)
    page = client.get(f"/atgarder/ny/?kommun={karlstad.pk}&handelser={event.pk}")
    assert page.context["form"].initial["events"] == str(event.pk)
    client.post(
        f"/atgarder/ny/?kommun={karlstad.pk}",
        {"title": "Följ upp", "status": "proposed", "events": str(event.pk)},
    )
    assert list(Measure.objects.get().events.all()) == [event]


def test_the_housing_company_does_not_see_a_linked_internal_police_event(
    client, measure, housing_reporter, make_event, polisen
):
    internal = make_event(polisen, visibility=Visibility.ORGANISATION, description="Intern uppgift")
    measure.events.add(internal)
    client.force_login(housing_reporter)
    response = client.get(f"/atgarder/{measure.pk}/")
    assert response.status_code == 200
    assert f"/handelser/{internal.pk}/" not in response.content.decode()
    assert response.context["hidden_events"] == 1


def test_another_municipality_cannot_open_the_measure(client, measure, other_municipality_user):
    client.force_login(other_municipality_user)
    assert client.get(f"/atgarder/{measure.pk}/").status_code == 404
    assert client.post(f"/atgarder/{measure.pk}/kommentar/", {"text": "Hej"}).status_code == 404
    assert not measure.entries.filter(kind="comment").exists()


def test_a_resident_without_an_account_is_sent_to_log_in(client, measure):
    response = client.get(f"/atgarder/{measure.pk}/")
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_the_owner_marks_the_measure_done_on_its_page(client, measure, housing_reporter):
    client.force_login(housing_reporter)
    client.post(f"/atgarder/{measure.pk}/status/", {"status": Status.IN_PROGRESS})
    response = client.post(f"/atgarder/{measure.pk}/status/", {"status": Status.DONE})
    measure.refresh_from_db()
    assert response.status_code == 302 and measure.status == Status.DONE
    entries = measure.entries.filter(kind="status").values_list("new", flat=True)
    assert list(entries) == [Status.IN_PROGRESS, Status.DONE]


def test_an_analyst_cannot_change_the_status(client, measure, analyst):
    client.force_login(analyst)
    response = client.post(f"/atgarder/{measure.pk}/status/", {"status": Status.DONE})
    measure.refresh_from_db()
    assert response.status_code == 403 and measure.status == Status.AGREED


def test_a_comment_is_kept_scrubbed_in_the_timeline_under_the_organisation(
    client, measure, police_officer, polisen, housing_reporter
):
    client.force_login(police_officer)
    client.post(
        f"/atgarder/{measure.pk}/kommentar/", {"text": "Bilen ABC 123 står där varje kväll"}
    )
    entry = measure.entries.get(kind="comment")
    assert "ABC 123" not in entry.text and entry.organisation == polisen
    client.force_login(housing_reporter)  # partners read organisations, not people
    page = client.get(f"/atgarder/{measure.pk}/").content.decode()
    assert polisen.name in page and "kommunpolis" not in page


def test_the_own_page_lists_only_the_organisations_measures_by_due_date(
    client, karlstad, coordinator, bostadsbolaget, kommunen, housing_reporter
):
    def make(title, owner, days):
        return actions.create_measure(
            karlstad,
            acting_user=coordinator,
            title=title,
            status=Status.AGREED,
            responsible=owner,
            due=TODAY + dt.timedelta(days=days),
        )

    make("Senare", bostadsbolaget, 20)
    make("Snart", bostadsbolaget, 2)
    make("Kommunens", kommunen, 1)
    client.force_login(housing_reporter)
    titles = [m.title for m in client.get("/atgarder/egna/").context["open"]]
    assert titles == ["Snart", "Senare"]


def test_the_list_filters_overdue_measures(client, karlstad, coordinator, kommunen):
    late = actions.create_measure(
        karlstad,
        acting_user=coordinator,
        title="Sen",
        status=Status.AGREED,
        responsible=kommunen,
        due=dt.date(2020, 1, 1),
    )
    actions.create_measure(
        karlstad,
        acting_user=coordinator,
        title="I tid",
        status=Status.AGREED,
        responsible=kommunen,
        due=dt.date(2099, 1, 1),
    )
    client.force_login(coordinator)
    page = client.get("/atgarder/", {"kommun": karlstad.pk, "status": "forsenade"})
    assert list(page.context["page"].object_list) == [late]
    assert page.context["summary"]["overdue"] == 1


# --- rules pages ----------------------------------------------------------------------------


@pytest.fixture
def rules_admin(kommunen):
    return make_person("regeladmin", kommunen, Membership.Role.ADMIN)


def test_an_admin_adds_a_rule_and_the_audit_log_has_it(
    client, karlstad, rules_admin, bostadsbolaget, category
):
    client.force_login(rules_admin)
    response = client.post(
        f"/atgarder/ansvar/ny/?kommun={karlstad.pk}",
        {
            "organisation": bostadsbolaget.pk,
            "category": category.pk,
            "include_subcategories": "on",
            "priority": "0",
            "is_active": "on",
            "note": "Ring 070-123 45 67 om klotter",
        },
    )
    rule = ResponsibilityRule.objects.get()
    assert response.status_code == 302
    assert "070-123 45 67" not in rule.note
    assert (rule.organisation, rule.category, rule.municipality) == (
        bostadsbolaget,
        category,
        karlstad,
    )
    assert audit_rows(rule, action="create", actor=rules_admin).exists()


def test_a_coordinator_sees_the_rules_but_cannot_change_them(
    client, karlstad, coordinator, bostadsbolaget
):
    rule = ResponsibilityRule.objects.create(municipality=karlstad, organisation=bostadsbolaget)
    client.force_login(coordinator)
    assert client.get(f"/atgarder/ansvar/?kommun={karlstad.pk}").status_code == 200
    response = client.post(f"/atgarder/ansvar/{rule.pk}/ta-bort/")
    assert response.status_code == 403
    assert ResponsibilityRule.objects.filter(pk=rule.pk).exists()


def test_a_rule_cannot_name_another_municipalitys_organisation(
    client, karlstad, rules_admin, karlskoga_kommun
):
    client.force_login(rules_admin)
    response = client.post(
        f"/atgarder/ansvar/ny/?kommun={karlstad.pk}",
        {
            "organisation": karlskoga_kommun.pk,
            "priority": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert not ResponsibilityRule.objects.exists()


def test_trying_the_rules_shows_which_matched(
    client, karlstad, coordinator, bostadsbolaget, category
):
    ResponsibilityRule.objects.create(
        municipality=karlstad, organisation=bostadsbolaget, category=category
    )
    client.force_login(coordinator)
    response = client.get(
        "/atgarder/ansvar/forslag/", {"kommun": karlstad.pk, "category": category.pk}
    )
    assert response.context["result"].organisation == bostadsbolaget
