"""Following a report: the tracking page says in plain Swedish what happened, derived from the
report by `status.status_lines`, never shows the address, and a wrong link is a 404 (issue 12,
point 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.citizens.models import CitizenReport, Moderation, Outcome
from trygg.citizens.status import status_lines
from trygg.citizens.tests.factories import resident_report
from trygg.core.tests.clock import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def texts(report) -> list[str]:
    return [text for _day, text in status_lines(report)]


def test_a_new_report_is_received_today():
    report, _token = resident_report()

    assert status_lines(report) == [(TODAY, "Mottagen 22 november 2026")]


def test_published_sent_fixed_and_closed_follow_each_other_with_their_dates(polisen):
    report, _token = resident_report()
    report.moderation = Moderation.PUBLISHED
    report.moderated_at = NOW + dt.timedelta(days=1)
    report.routed_to = polisen
    report.routed_at = NOW + dt.timedelta(days=2)
    report.outcome = Outcome.FIXED
    report.closed_at = NOW + dt.timedelta(days=9)
    report.closing_note = "Lampan är bytt."

    assert status_lines(report) == [
        (TODAY, "Mottagen 22 november 2026"),
        (TODAY + dt.timedelta(days=1), "Granskad och publicerad"),
        (TODAY + dt.timedelta(days=2), f"Skickad till {polisen.name} 24 november 2026"),
        (TODAY + dt.timedelta(days=9), "Åtgärdad 1 december 2026"),
        (TODAY + dt.timedelta(days=9), "Avslutad: Lampan är bytt."),
    ]


def test_hidden_and_duplicate_say_so():
    report, _token = resident_report()
    report.moderation = Moderation.HIDDEN
    report.hidden_reason = "Innehöll personuppgifter."
    assert texts(report)[-1] == "Dold: Innehöll personuppgifter."

    report.moderation = Moderation.DUPLICATE
    assert texts(report)[-1] == "Samma sak som en tidigare rapport"


def test_closed_without_a_note_or_a_fix_still_says_when():
    report, _token = resident_report()
    report.outcome = Outcome.NOT_OURS
    report.closed_at = NOW + dt.timedelta(days=3)

    assert texts(report)[-1] == "Avslutad 25 november 2026"


def test_the_tracking_page_shows_the_status_but_never_the_address(client):
    report, token = resident_report(email="boende@example.se")
    CitizenReport.objects.filter(pk=report.pk).update(
        moderation=Moderation.PUBLISHED, moderated_at=NOW, me_too=2
    )

    page = client.get(f"/rapportera/folj/{token}/")

    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert "Mottagen 22 november 2026" in html and "Granskad och publicerad" in html
    assert "2 personer till har sett samma sak." in html
    assert "boende@example.se" not in html and "boende" not in html


def test_an_unpublished_reports_text_is_not_on_the_tracking_page_and_html_is_escaped(client):
    report, token = resident_report(description="<script>alert(1)</script> vid trappan")

    assert "vid trappan" not in client.get(f"/rapportera/folj/{token}/").content.decode()

    CitizenReport.objects.filter(pk=report.pk).update(moderation=Moderation.PUBLISHED)
    html = client.get(f"/rapportera/folj/{token}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; vid trappan" in html
    assert "<script>alert(1)" not in html


def test_a_wrong_link_is_a_404(client):
    _report, token = resident_report()

    assert client.get(f"/rapportera/folj/{token}x/").status_code == 404
    assert client.get("/rapportera/folj/gissning/").status_code == 404
