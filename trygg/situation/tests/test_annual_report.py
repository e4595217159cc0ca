"""The annual lägesbild (lag 2023:196): generated from the events every partner may see, written
by the coordinator, kept as versions that never change, readable by the municipality's staff
and exported to PDF."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from trygg.core import periods
from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.events import daily_counts
from trygg.events.models import Category, Source, Visibility
from trygg.situation import annual
from trygg.situation.actions import create_annual_report, save_annual_version
from trygg.situation.models import AnnualReport, AnnualReportVersion

# Which years may be reported, and which are over, depends on today.
pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

# A year that is over, so the report counts the whole of it.
YEAR = TODAY.year - 1
LIST = "/lagesbild/ar/"
NOTHING_WRITTEN = dict.fromkeys(annual.WRITTEN_KEYS, "")


def at(year: int, month: int, day: int = 15, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def events(
    make_event, organisation, n, *, year=YEAR, month=3, visibility=Visibility.PARTNERS, **fields
):
    """`n` events on the first days of `month`, counted in the daily rollup as imports do."""
    for day in range(1, n + 1):
        make_event(organisation, visibility, occurred_from=at(year, month, day), **fields)
    daily_counts.recount()


@pytest.fixture
def report(karlstad, coordinator):
    made, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    return made


def section(version: AnnualReportVersion, key: str) -> dict:
    return version.generated["sections"][key]


def row(rows: list[dict], name: str) -> dict:
    return next(r for r in rows if r["name"] == name)


def url(report, suffix="") -> str:
    return f"/lagesbild/ar/{report.pk}/{suffix}"


# --- versions ------------------------------------------------------------------------------


def test_two_saves_after_creation_give_versions_1_2_and_3_and_the_old_ones_stay_as_they_were(
    report, coordinator
):
    first = report.latest()
    save_annual_version(
        report, {"summary": "Utkast"}, regenerate=False, note="", acting_user=coordinator
    )
    save_annual_version(
        report,
        {"summary": "Till nämnden"},
        regenerate=False,
        note="Slutlig",
        acting_user=coordinator,
    )

    assert list(report.versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert report.versions.get(number=1).written == first.written == NOTHING_WRITTEN
    assert report.versions.get(number=2).written["summary"] == "Utkast"
    assert report.latest().written["summary"] == "Till nämnden"
    assert report.latest().note == "Slutlig"


def test_a_version_saved_without_recounting_keeps_the_old_numbers_after_new_events(
    karlstad, coordinator, kommunen, make_event, centrum
):
    events(make_event, kommunen, 2, area=centrum)
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    events(make_event, kommunen, 5, month=6, area=centrum)

    kept = save_annual_version(report, {}, regenerate=False, note="", acting_user=coordinator)

    assert section(kept, "categories")["total"]["now"] == 2
    assert kept.generated == report.versions.get(number=1).generated


def test_a_version_saved_with_recounting_counts_the_new_events(
    karlstad, coordinator, kommunen, make_event, centrum
):
    events(make_event, kommunen, 2, area=centrum)
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    events(make_event, kommunen, 5, month=6, area=centrum)

    recounted = save_annual_version(report, {}, regenerate=True, note="", acting_user=coordinator)

    assert section(recounted, "categories")["total"]["now"] == 7
    assert section(report.versions.get(number=1), "categories")["total"]["now"] == 2


def test_a_personal_identity_number_in_a_written_section_is_removed_before_saving(
    report, coordinator
):
    version = save_annual_version(
        report,
        {"causes": "Enligt 19850412-1230 är det mörkt vid torget."},
        regenerate=False,
        note="Från 850412-1230",
        acting_user=coordinator,
    )

    assert "19850412-1230" not in version.written["causes"]
    assert "mörkt vid torget" in version.written["causes"]
    assert "850412-1230" not in version.note


def test_saving_a_version_leaves_an_audit_row_with_who_and_what_changed(report, coordinator):
    version = save_annual_version(
        report, {"summary": "Klotter ökar."}, regenerate=False, note="", acting_user=coordinator
    )

    rows = AuditEntry.objects.filter(
        object_type="situation.annualreportversion", object_id=str(version.pk)
    )
    created = rows.get(action=AuditEntry.Action.CREATE)
    assert created.actor == coordinator
    assert created.new["number"] == 2
    changed = rows.get(action=AuditEntry.Action.UPDATE, field="written.summary")
    assert (changed.old, changed.new) == ("", "Klotter ökar.")


def test_only_a_coordinator_of_the_municipality_may_save_a_version(
    report, analyst, other_municipality_user
):
    for user in (analyst, other_municipality_user):
        with pytest.raises(PermissionDenied):
            save_annual_version(report, {}, regenerate=False, note="", acting_user=user)
    assert report.versions.count() == 1


# --- what the generated sections count -----------------------------------------------------


def test_the_district_section_counts_each_districts_events_this_year_and_the_year_before(
    karlstad, coordinator, kommunen, make_event, centrum, kronoparken
):
    events(make_event, kommunen, 3, area=centrum)
    events(make_event, kommunen, 1, year=YEAR - 1, area=centrum)
    events(make_event, kommunen, 2, area=kronoparken)

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    areas = section(report.latest(), "areas")

    centre, east = row(areas["rows"], "Centrum"), row(areas["rows"], "Kronoparken")
    assert (centre["now"], centre["before"]) == (3, 1)
    assert (east["now"], east["before"]) == (2, 0)
    assert areas["population"] is False
    assert "per 1 000 invånare" in areas["lead"]


def test_the_category_section_compares_the_year_with_the_year_before_in_plain_words(
    karlstad, coordinator, kommunen, make_event, centrum
):
    events(make_event, kommunen, 3, area=centrum)
    events(make_event, kommunen, 1, year=YEAR - 1, area=centrum)

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    categories = section(report.latest(), "categories")

    skadegorelse = row(categories["rows"], "Skadegörelse")
    assert (skadegorelse["now"], skadegorelse["before"]) == (3, 1)
    assert row(skadegorelse["children"], "Klotter")["now"] == 3
    assert categories["total"]["verdict"] == "too_few"
    assert categories["lead"].startswith(
        f"Under {YEAR} registrerades 3 händelser, 200 % fler än {YEAR - 1}."
    )


def test_the_category_rows_are_marked_together_and_the_total_alone():
    # 6 against 0 is p = 0.031 alone, q = 0.094 beside two rows without change: no marker.
    tree = annual.CategoryTree(
        [
            SimpleNamespace(pk=pk, parent_id=None, name_sv=name)
            for pk, name in [(1, "Klotter"), (2, "Bråk"), (3, "Brand")]
        ]
    )
    by_leaf = {1: {"now": 6, "before": 0}, 2: {"now": 7, "before": 7}, 3: {"now": 8, "before": 8}}
    year = periods.year_period(YEAR)
    categories = annual.category_section(by_leaf, tree, year, year.year_earlier())
    klotter = row(categories["rows"], "Klotter")
    assert annual.compare(6, 0)["verdict"] == "more"
    assert (klotter["verdict"], klotter["q"]) == (
        "no_clear_change",
        pytest.approx(0.0938, abs=1e-4),
    )
    assert categories["markers"] == "fdr_bh"
    assert categories["total"]["verdict"] == annual.compare(21, 15)["verdict"]


def test_events_only_their_own_organisation_sees_are_not_counted(
    karlstad, coordinator, kommunen, bostadsbolaget, make_event, centrum
):
    events(make_event, kommunen, 2, area=centrum)
    events(make_event, bostadsbolaget, 4, area=centrum, visibility=Visibility.ORGANISATION)
    events(make_event, kommunen, 3, area=centrum, visibility=Visibility.ORGANISATION)

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    version = report.latest()

    assert section(version, "categories")["total"]["now"] == 2
    assert row(section(version, "areas")["rows"], "Centrum")["now"] == 2
    assert sum(map(sum, section(version, "time")["hour_weekday"])) == 2
    assert section(version, "years")["totals"][-1] == 2


def test_police_events_stand_beside_the_partners_reports_per_category(
    karlstad, coordinator, kommunen, polisen, make_event, centrum
):
    events(make_event, kommunen, 3, area=centrum)
    violence = Category.objects.get(code="ordning.vald")
    events(
        make_event,
        polisen,
        2,
        visibility=Visibility.PUBLIC,
        source=Source.POLICE,
        precision_m=15_000,
        category=violence,
    )

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    sources = section(report.latest(), "sources")
    areas = section(report.latest(), "areas")

    assert (sources["police"], sources["others"]) == (2, 3)
    police_row = next(r for r in sources["rows"] if r["police"])
    assert (police_row["police"], police_row["police_share"], police_row["others"]) == (2, 100, 0)
    assert "anger bara kommunen" in sources["lead"]
    assert areas["without_area"] == 2


def test_the_years_section_shows_only_years_with_events_and_says_there_are_fewer(
    karlstad, coordinator, kommunen, make_event, centrum
):
    events(make_event, kommunen, 1, year=YEAR - 1, area=centrum)
    events(make_event, kommunen, 4, area=centrum)

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    years = section(report.latest(), "years")

    assert years["years"] == [YEAR - 1, YEAR]
    assert years["totals"] == [1, 4]
    assert "omfattar 2 år i stället för 5" in years["lead"]


def test_a_year_not_yet_over_is_counted_up_to_yesterday_and_compared_with_the_same_dates():
    period = annual.report_period(2026, dt.date(2026, 12, 15))

    assert (period.start, period.last_day) == (dt.date(2026, 1, 1), dt.date(2026, 12, 14))
    assert period.year_earlier().last_day == dt.date(2025, 12, 14)
    assert annual.label(period) == "1 januari–14 december 2026"
    assert annual.report_period(2025, dt.date(2026, 1, 1)).label() == "2025"


# --- pages ---------------------------------------------------------------------------------


def test_a_coordinator_creates_the_report_of_a_year_and_lands_on_its_first_version(
    client, coordinator, karlstad
):
    client.force_login(coordinator)

    response = client.post(f"{LIST}?kommun={karlstad.pk}", {"year": YEAR})

    report = AnnualReport.objects.get(municipality=karlstad, year=YEAR)
    assert response.status_code == 302 and response.url == url(report)
    assert list(report.versions.values_list("number", flat=True)) == [1]
    assert AuditEntry.objects.filter(
        object_type="situation.annualreport", object_id=str(report.pk), action="create"
    ).exists()


def test_creating_a_report_that_exists_leads_to_the_existing_one_without_a_new_version(
    client, coordinator, karlstad, report
):
    client.force_login(coordinator)

    response = client.post(f"{LIST}?kommun={karlstad.pk}", {"year": YEAR}, follow=True)

    assert response.redirect_chain[-1][0] == url(report)
    assert AnnualReport.objects.count() == 1 and report.versions.count() == 1
    assert "finns redan" in " ".join(str(m) for m in response.context["messages"])


def test_the_list_shows_the_municipalitys_reports_to_everyone_who_works_there(
    client, police_officer, karlstad, report
):
    client.force_login(police_officer)

    response = client.get(LIST, {"kommun": karlstad.pk})

    assert response.status_code == 200
    assert f"Lägesbild {YEAR}" in response.content.decode()
    assert "Skapa årlig lägesbild för år" not in response.content.decode()


def test_the_page_shows_every_section_heading_and_the_coordinator_gets_the_text_fields(
    client, coordinator, report
):
    client.force_login(coordinator)

    page = client.get(url(report)).content.decode()

    for _key, heading in annual.GENERATED_SECTIONS:
        assert str(heading) in page
    for key, heading, _hint in annual.WRITTEN_SECTIONS:
        assert str(heading) in page
        assert f'name="{key}"' in page
    assert "Räkna om de genererade avsnitten med dagens data" in page


def test_a_coordinator_saves_a_new_version_from_the_page(client, coordinator, report):
    client.force_login(coordinator)

    response = client.post(
        url(report),
        {**NOTHING_WRITTEN, "summary": "Mer klotter i centrum.", "note": "Första utkastet"},
    )

    assert response.status_code == 302
    assert report.latest().number == 2
    assert report.latest().written["summary"] == "Mer klotter i centrum."
    assert report.versions.get(number=1).written["summary"] == ""


@pytest.mark.parametrize("persona", ["analyst", "police_officer"])
def test_staff_who_are_not_coordinators_can_read_the_report_but_not_save_a_version(
    client, request, persona, report
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(url(report))
    saved = client.post(url(report), {**NOTHING_WRITTEN, "summary": "Inte min text"})

    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()
    assert saved.status_code == 403
    assert report.versions.count() == 1


def test_someone_from_another_municipality_cannot_see_karlstads_report(
    client, other_municipality_user, karlstad, report
):
    client.force_login(other_municipality_user)

    for path in (url(report), url(report, "version/1/"), url(report, "version/1/pdf/")):
        assert client.get(path).status_code in (403, 404), path
    assert client.get(LIST, {"kommun": karlstad.pk}).status_code == 403
    assert client.post(url(report), {"summary": "x"}).status_code in (403, 404)
    assert report.versions.count() == 1


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, report):
    for path in (LIST, url(report), url(report, "version/1/"), url(report, "version/1/pdf/")):
        response = client.get(path)
        assert response.status_code == 302 and "/konto/logga-in/" in response.url


def test_a_kept_version_is_shown_read_only(client, coordinator, report):
    save_annual_version(
        report, {"summary": "Ny text"}, regenerate=False, note="", acting_user=coordinator
    )
    client.force_login(coordinator)

    page = client.get(url(report, "version/1/")).content.decode()

    assert "Version 1" in page
    assert "<textarea" not in page
    assert "Ny text" not in page


def test_the_pdf_of_a_version_is_a_pdf_named_by_municipality_year_and_version(
    client, coordinator, analyst, karlstad, kommunen, make_event, centrum
):
    events(make_event, kommunen, 3, area=centrum)
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    client.force_login(analyst)

    response = client.get(url(report, "version/1/pdf/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="lagesbild-1780-{YEAR}-v1.pdf"'
    )
