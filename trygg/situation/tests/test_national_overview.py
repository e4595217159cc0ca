"""The national public overview (/oppen/sverige/): public counted incidents per county and
municipality, this year to date beside the same days a year earlier, from the daily rollup,
with small counts suppressed as on the municipal summary."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db.models import Count

from trygg.core.tests.clock import TODAY, at
from trygg.events.daily_counts import counted, recount
from trygg.events.models import Category, Event, Status, Visibility
from trygg.places.models import Municipality
from trygg.situation.national import Span

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

URL = "/oppen/sverige/"
PUBLIC = Visibility.PUBLIC


def add(make_event, organisation, n, *, day, code="skadegorelse.klotter", **fields):
    category = Category.objects.get(code=code)
    visibility = fields.pop("visibility", PUBLIC)
    for _ in range(n):
        make_event(organisation, visibility, category=category, occurred_from=at(day), **fields)


def lines(response) -> dict[str, tuple[str, str, str]]:
    """Every municipality's and county's ("Örebro län") (current, earlier, change) as shown."""
    overview = response.context["overview"]
    shown = {}
    for county in overview.counties:
        line = county.line
        shown[f"{line.name} län"] = (line.current.text, line.earlier.text, line.change)
        for line in county.municipalities:
            shown[line.name] = (line.current.text, line.earlier.text, line.change)
    shown[overview.sweden.name] = (
        overview.sweden.current.text,
        overview.sweden.earlier.text,
        overview.sweden.change,
    )
    return shown


def test_a_resident_sees_each_municipality_this_year_beside_the_same_days_last_year(
    client, make_event, kommunen, karlskoga_kommun
):
    last_year = TODAY.replace(year=TODAY.year - 1)
    add(make_event, kommunen, 40, day=TODAY.replace(month=3, day=2))
    add(make_event, kommunen, 30, day=last_year.replace(month=3, day=2))
    # After today's date a year ago: outside the earlier span, which ends on the same day.
    add(make_event, kommunen, 5, day=last_year + dt.timedelta(days=3))
    add(make_event, karlskoga_kommun, 4, day=TODAY.replace(month=1, day=5))
    recount()

    response = client.get(URL)

    assert response.status_code == 200
    shown = lines(response)
    assert shown["Karlstad"] == ("40", "30", "+33 %")
    assert shown["Karlskoga"] == ("4", "0", "")
    assert shown["Värmland län"] == ("40", "30", "+33 %")
    assert shown["Örebro län"] == ("4", "0", "")
    assert shown["Hela Sverige"] == ("44", "30", "+47 %")
    assert (
        len([line for c in response.context["overview"].counties for line in c.municipalities])
        == 290
    )
    html = response.content.decode()
    assert "<caption" in html and 'scope="row"' in html
    # A municipality with districts links to its own summary; one without does not.
    assert f"?kommun=1780&amp;ar={TODAY.year}" not in html  # no districts in this test


def test_only_public_counted_incidents_are_counted(client, make_event, kommunen):
    day = TODAY.replace(month=6, day=1)
    add(make_event, kommunen, 5, day=day)
    add(make_event, kommunen, 7, day=day, visibility=Visibility.PARTNERS)
    add(make_event, kommunen, 6, day=day, visibility=Visibility.ORGANISATION)
    add(make_event, kommunen, 4, day=day, status=Status.REJECTED)
    add(make_event, kommunen, 4, day=day, status=Status.DUPLICATE)
    add(make_event, kommunen, 8, day=day, code="polis.meddelande")
    recount()

    assert lines(client.get(URL))["Karlstad"][0] == "5"


def test_small_counts_are_suppressed_and_a_sum_holding_one_is_a_range(
    client, make_event, kommunen, karlskoga_kommun
):
    day = TODAY.replace(month=4, day=1)
    add(make_event, kommunen, 2, day=day)
    add(make_event, kommunen, 10, day=day, code="ordning.brak")
    add(make_event, karlskoga_kommun, 1, day=day)
    recount()

    shown = lines(client.get(URL))
    assert shown["Karlskoga"][0] == "färre än 3"
    # Karlstad's total adds an exact 10 and a hidden 2 of another category: a range.
    assert shown["Karlstad"][0] == "11–12"
    assert shown["Hela Sverige"][0] == "12–14"

    by_category = lines(client.get(URL, {"kategori": "ordning"}))
    assert by_category["Karlstad"][0] == "10"
    assert by_category["Karlskoga"][0] == "0"


def test_the_figures_equal_a_count_of_the_events(client, make_event, kommunen, karlskoga_kommun):
    """The reference: the straightforward count from the event table, per municipality."""
    codes = ["skadegorelse.klotter", "ordning.brak", "ordning.drog"]
    for number, code in enumerate(codes):
        add(make_event, kommunen, 5 + number, day=TODAY.replace(month=2 + number, day=3), code=code)
        add(
            make_event,
            karlskoga_kommun,
            3 * (number + 1),
            day=TODAY.replace(month=5, day=9),
            code=code,
        )
    recount()
    span = Span.of(TODAY.year, TODAY)
    reference = dict(
        counted(Event.objects.public())
        .filter(
            occurred_from__gte=at(span.first, 0),
            occurred_from__lt=at(span.last + dt.timedelta(days=1), 0),
        )
        .values_list("municipality__name")
        .annotate(n=Count("pk"))
        .order_by()
    )

    shown = lines(client.get(URL))

    assert reference == {"Karlstad": 18, "Karlskoga": 18}
    assert {name: int(shown[name][0]) for name in reference} == reference


def test_a_past_year_is_counted_whole(client, make_event, kommunen):
    year = TODAY.year - 1
    add(make_event, kommunen, 12, day=dt.date(year, 12, 20))
    recount()

    response = client.get(URL, {"ar": year})

    assert lines(response)["Karlstad"][0] == "12"
    assert response.context["overview"].span.whole_year


def test_the_csv_has_every_municipality_with_its_county(client, make_event, kommunen):
    add(make_event, kommunen, 2, day=TODAY.replace(month=3, day=1))
    recount()

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Län", "Kommunkod", "Kommun"]
    karlstad = next(row for row in rows if row[1] == "1780")
    assert karlstad == ["Värmland", "1780", "Karlstad", "<3", "0"]
    assert len([row for row in rows[1:] if row[1]]) == 290
    assert rows[-1][2] == "Hela Sverige"


def test_county_level_police_events_never_show_as_a_municipality(client, make_event, kommunen):
    """On their county's own row they are in the rollup (for the county view), but the
    overview lists municipalities only, so they are no line and in no sum."""
    county_row = Municipality.with_counties.get(code="0017")
    add(make_event, kommunen, 2, day=TODAY.replace(month=3, day=1))
    add(make_event, kommunen, 9, day=TODAY.replace(month=3, day=1), municipality=county_row)
    recount()

    response = client.get(URL)

    shown = lines(response)
    assert not [name for name in shown if "länsnivå" in name]
    assert shown["Värmland län"][0] == shown["Hela Sverige"][0] != "9"
    codes = [line.code for c in response.context["overview"].counties for line in c.municipalities]
    assert len(codes) == 290 and "0017" not in codes
    rows = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")
    assert "länsnivå" not in rows and ";0017;" not in rows


def test_a_year_without_events_is_refused_with_the_reason(client, make_event, kommunen):
    response = client.get(URL, {"ar": "1999"})

    assert response.status_code == 400
    assert "Det finns inga offentliga händelser år 1999" in response.content.decode()
    assert "overview" not in response.context

    as_csv = client.get(URL, {"ar": "1999", "format": "csv"})
    assert as_csv.status_code == 400
    assert "år 1999" in as_csv.content.decode()


def test_the_earlier_span_of_a_leap_day_ends_on_the_28th():
    span = Span.of(2028, dt.date(2028, 2, 29))
    assert (span.earlier_first, span.earlier_last) == (dt.date(2027, 1, 1), dt.date(2027, 2, 28))
