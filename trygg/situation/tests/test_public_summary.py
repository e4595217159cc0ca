"""The public summary (/oppen/lagesbild/): public events only, by district and month, small
counts suppressed, and no total that gives a suppressed count away."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.core.tests.clock import TODAY
from trygg.events.models import Category, Source, Status, Visibility
from trygg.places.geo import to_sweref
from trygg.places.models import Area, Place
from trygg.situation.public import COUNT, FEW, RANGE, figure

# Which months are shown depends on today.
pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

URL = "/oppen/lagesbild/"
# A past year: all twelve months are shown.
YEAR = TODAY.year - 1
PUBLIC = Visibility.PUBLIC


def at(month: int, day: int = 15, hour: int = 12) -> dt.datetime:
    return dt.datetime(YEAR, month, day, hour, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def add(make_event, organisation, n, *, month, area, code="skadegorelse.klotter", **fields):
    """`n` events on the first days of `month`, public unless `visibility` says otherwise."""
    category = Category.objects.get(code=code)
    visibility = fields.pop("visibility", PUBLIC)
    for day in range(1, n + 1):
        make_event(
            organisation,
            visibility,
            area=area,
            category=category,
            occurred_from=at(month, day),
            **fields,
        )


def get(client, **params):
    return client.get(URL, {"kommun": "1780", "ar": YEAR} | params)


def tables(response) -> dict[str, dict[str, list[str]]]:
    """Each table as {row label: [Jan … Dec, whole year]} of the texts shown."""
    return {
        table.key: {row.label: [f.text for f in row.figures] for row in [*table.rows, table.totals]}
        for table in response.context["tables"]
    }


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def everything_published(client) -> list:
    """What anyone can get for Karlstad and YEAR: every category's page and its two CSVs."""
    codes = [""] + list(Category.objects.filter(parent__isnull=True).values_list("code", flat=True))
    seen = []
    for code in codes:
        seen.append(tables(get(client, kategori=code)))
        for table in ("stadsdelar", "kategorier"):
            seen.append(get(client, kategori=code, format="csv", tabell=table).content)
    return seen


# --- what a resident sees ------------------------------------------------------------------


def test_a_resident_without_an_account_sees_counts_by_district_and_month(
    client, make_event, kommunen, centrum, kronoparken
):
    add(make_event, kommunen, 4, month=3, area=centrum)
    add(make_event, kommunen, 3, month=6, area=kronoparken)

    response = get(client)

    assert response.status_code == 200
    by_district = tables(response)["stadsdelar"]
    assert by_district["Centrum"][2] == "4"
    assert by_district["Kronoparken"][5] == "3"
    assert by_district["Hela kommunen"][2] == "4"
    assert by_district["Hela kommunen"][12] == "7"
    assert "Utan stadsdel" not in by_district
    html = response.content.decode()
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert '<form class="card summary-filters" method="get"' in html
    assert '<label for="id_kommun">' in html


def test_the_default_is_the_first_municipality_with_districts_and_public_events(
    client, make_event, kommunen, karlskoga_kommun, centrum, karlskoga
):
    # Karlskoga comes first by name and has a district, but no public events yet.
    Area.objects.create(
        municipality=karlskoga,
        name="Karlskoga centrum",
        geometry=centrum.geometry,
        valid_from=dt.date(2000, 1, 1),
    )
    make_event(karlskoga_kommun, Visibility.PARTNERS, occurred_from=at(2))
    add(make_event, kommunen, 3, month=2, area=centrum)

    response = client.get(URL, {"ar": YEAR})

    assert response.context["summary"].municipality.code == "1780"
    assert tables(response)["stadsdelar"]["Centrum"][1] == "3"
    assert [c for c, _name in response.context["form"].fields["kommun"].choices] == [
        "1883",
        "1780",
    ]


def test_counts_under_three_are_shown_as_fewer_than_three(
    client, make_event, kommunen, centrum, kronoparken
):
    add(make_event, kommunen, 2, month=1, area=centrum)
    add(make_event, kommunen, 1, month=1, area=kronoparken)

    response = get(client)

    by_district = tables(response)["stadsdelar"]
    assert by_district["Centrum"][:2] == ["färre än 3", "0"]
    assert by_district["Kronoparken"][0] == "färre än 3"
    # Two suppressed cells: the month's total is the range a reader could work out anyway.
    assert by_district["Hela kommunen"][0] == "2–4"
    assert "färre än 3" in response.content.decode()


def test_the_threshold_comes_from_the_settings(client, settings, make_event, kommunen, centrum):
    settings.TRYGG_SUPPRESSION_THRESHOLD = 5
    add(make_event, kommunen, 4, month=1, area=centrum)
    add(make_event, kommunen, 5, month=2, area=centrum)

    by_district = tables(get(client))["stadsdelar"]

    assert by_district["Centrum"][:2] == ["färre än 5", "5"]


def test_a_category_narrows_the_district_table(client, make_event, kommunen, centrum):
    add(make_event, kommunen, 3, month=3, area=centrum)
    add(make_event, kommunen, 4, month=3, area=centrum, code="ordning.brak")

    assert tables(get(client))["stadsdelar"]["Centrum"][2] == "7"
    assert tables(get(client, kategori="skadegorelse"))["stadsdelar"]["Centrum"][2] == "3"
    assert tables(get(client, kategori="ordning"))["stadsdelar"]["Centrum"][2] == "4"
    by_category = tables(get(client))["kategorier"]
    assert by_category["Skadegörelse"][2] == "3"
    assert by_category["Annat otrygghetsskapande eller ordningsstörande"][2] == "4"
    assert by_category["Arrangemang"][2] == "0"


def test_months_are_counted_in_swedish_time(client, make_event, kommunen, centrum):
    klotter = Category.objects.get(code="skadegorelse.klotter")
    for minute in (30, 40, 50):
        # 23:xx UTC on 31 January is past midnight on 1 February in Sweden.
        moment = dt.datetime(YEAR, 1, 31, 23, minute, tzinfo=dt.UTC)
        make_event(kommunen, PUBLIC, area=centrum, category=klotter, occurred_from=moment)

    assert tables(get(client))["stadsdelar"]["Centrum"][:2] == ["0", "3"]


def test_events_without_a_district_are_counted_under_utan_stadsdel(
    client, make_event, polisen, centrum
):
    add(make_event, polisen, 3, month=4, area=None, source=Source.POLICE, precision_m=5000)

    by_district = tables(get(client))["stadsdelar"]

    assert by_district["Utan stadsdel"][3] == "3"
    assert by_district["Centrum"][3] == "0"


def test_events_in_a_sub_area_or_an_older_boundary_count_in_the_current_district(
    client, make_event, kommunen, karlstad, centrum
):
    sub_area = Area.objects.create(
        municipality=karlstad,
        name="Stora torget",
        kind=Area.Kind.SUB_AREA,
        parent=centrum,
        geometry=centrum.geometry,
        valid_from=dt.date(2000, 1, 1),
    )
    old_centrum = Area.objects.create(
        municipality=karlstad,
        name="Centrum (till 2019)",
        code=centrum.code,
        geometry=centrum.geometry,
        valid_from=dt.date(1990, 1, 1),
        valid_to=dt.date(2000, 1, 1),
    )
    add(make_event, kommunen, 2, month=5, area=sub_area)
    add(make_event, kommunen, 2, month=5, area=old_centrum)

    by_district = tables(get(client))["stadsdelar"]

    assert by_district["Centrum"][4] == "4"
    assert "Stora torget" not in by_district and "Centrum (till 2019)" not in by_district


# --- what never reaches the page -----------------------------------------------------------


def test_partner_and_organisation_events_never_reach_the_public_summary(
    client,
    make_event,
    kommunen,
    bostadsbolaget,
    polisen,
    karlskoga_kommun,
    centrum,
    coordinator,
    analyst,
    police_officer,
    housing_reporter,
    other_municipality_user,
):
    add(make_event, kommunen, 3, month=3, area=centrum)
    add(make_event, bostadsbolaget, 5, month=3, area=centrum, visibility=Visibility.PARTNERS)
    add(make_event, polisen, 4, month=3, area=centrum, visibility=Visibility.ORGANISATION)
    add(make_event, bostadsbolaget, 6, month=4, area=centrum, visibility=Visibility.ORGANISATION)

    anonymous = everything_published(client)
    by_district = anonymous[0]["stadsdelar"]
    assert by_district["Centrum"][2:4] == ["3", "0"]
    assert by_district["Centrum"][12] == "3"

    for persona in (
        coordinator,
        analyst,
        police_officer,
        housing_reporter,
        other_municipality_user,
    ):
        client.force_login(persona)
        assert everything_published(client) == anonymous, persona.username
        client.logout()


def test_rejected_and_duplicate_events_and_police_notices_are_not_counted(
    client, make_event, kommunen, polisen, centrum, kronoparken
):
    add(make_event, kommunen, 3, month=5, area=centrum)
    add(make_event, kommunen, 1, month=5, area=centrum, status=Status.REJECTED)
    add(make_event, kommunen, 1, month=5, area=centrum, status=Status.DUPLICATE)
    add(make_event, kommunen, 2, month=5, area=kronoparken, status=Status.REJECTED)
    add(make_event, polisen, 3, month=5, area=kronoparken, code="polis.meddelande")

    by_district = tables(get(client))["stadsdelar"]

    assert by_district["Centrum"][4] == "3"
    assert by_district["Kronoparken"][4] == "0"


def test_no_coordinates_or_descriptions_reach_the_page(
    client, make_event, bostadsbolaget, karlstad, centrum
):
    lat, lon = 59.381234, 13.509876
    x, y = to_sweref(lon, lat)
    place = Place.objects.create(
        municipality=karlstad, name="Lekplatsen Solrosen", lat=lat, lon=lon, x=x, y=y
    )
    for day in (1, 2, 3):
        make_event(
            bostadsbolaget,
            PUBLIC,
            area=centrum,
            place=place,
            lat=lat,
            lon=lon,
            occurred_from=at(3, day),
            description="Klotter på den gröna cykelboden vid gaveln",
        )

    pages = [get(client), get(client, format="csv"), get(client, format="csv", tabell="kategorier")]

    for response in pages:
        text = response.content.decode("utf-8-sig")
        for secret in (
            "cykelboden",
            "59.38",
            "13.50",
            "59,38",
            "13,50",
            "Solrosen",
            "Karlstads Bostads AB",
            "/handelser/",
        ):
            assert secret not in text
    assert tables(pages[0])["stadsdelar"]["Centrum"][2] == "3"


# --- suppression of totals -----------------------------------------------------------------


def test_a_total_does_not_give_away_a_suppressed_cell(
    client, make_event, kommunen, centrum, kronoparken
):
    # Centrum in March: 1 or 2 klotter (suppressed) beside 3 bråk; around it, shown counts.
    add(make_event, kommunen, 5, month=4, area=centrum)
    add(make_event, kommunen, 4, month=3, area=kronoparken)
    add(make_event, kommunen, 3, month=3, area=centrum, code="ordning.brak")
    add(make_event, kommunen, 1, month=3, area=centrum)
    with_one = everything_published(client)
    add(make_event, kommunen, 1, month=3, area=centrum)

    with_two = everything_published(client)

    # Every page and CSV is the same whether the suppressed cell is 1 or 2.
    assert with_two == with_one
    klotter = tables(get(client, kategori="skadegorelse"))["stadsdelar"]
    assert klotter["Centrum"][2:4] == ["färre än 3", "5"]
    assert klotter["Centrum"][12] == "6–7"  # not 7
    assert klotter["Hela kommunen"][2] == "5–6"  # not 6
    assert tables(get(client))["stadsdelar"]["Centrum"][2] == "4–5"  # not 5
    assert tables(get(client))["kategorier"]["Skadegörelse"][2] == "5–6"


def test_a_sum_with_suppressed_cells_is_the_range_a_reader_could_work_out():
    assert figure([5, 4, 0], 3) == figure([9], 3)
    assert figure([5, 4, 0], 3).state == COUNT and figure([5, 4, 0], 3).text == "9"
    assert figure([0, 2, 0], 3).state == FEW
    two_ones = figure([1, 1], 3)
    assert (two_ones.state, two_ones.text) == (RANGE, "2–4")  # never "2": that pins both
    assert figure([5, 4, 2], 3).text == "10–11"
    assert figure([5, 4, 2], 3).spoken == "mellan 10 och 11"


@given(st.lists(st.integers(0, 9), min_size=1, max_size=8), st.data())
def test_a_figure_is_the_same_whatever_its_suppressed_cells_hold(cells, data):
    other = [data.draw(st.integers(1, 2)) if 0 < n < 3 else n for n in cells]

    assert figure(other, 3) == figure(cells, 3)


# --- the CSV and bad addresses -------------------------------------------------------------


def test_the_csv_has_the_same_suppressed_cells(client, make_event, kommunen, centrum, kronoparken):
    add(make_event, kommunen, 2, month=1, area=centrum)
    add(make_event, kommunen, 4, month=1, area=kronoparken)
    add(make_event, kommunen, 3, month=2, area=centrum, code="ordning.brak")
    page = get(client)

    for table in page.context["tables"]:
        response = get(client, format="csv", tabell=table.key)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        rows = csv_rows(response)
        months = [f"{YEAR}-{month:02d}" for month in range(1, 13)]
        assert rows[0] == [table.row_heading, *months, "Hela året"]
        expected = [
            [row.label, *("<3" if f.state == FEW else f.text for f in row.figures)]
            for row in [*table.rows, table.totals]
        ]
        assert rows[1:] == expected
    district_csv = csv_rows(get(client, format="csv"))
    assert district_csv[1][:2] == ["Centrum", "<3"]
    assert "<3" in get(client, format="csv").content.decode("utf-8-sig")


def test_a_district_name_cannot_become_a_spreadsheet_formula(client, make_event, karlstad):
    Area.objects.create(
        municipality=karlstad,
        name="=HYPERLINK(1)",
        geometry={"type": "Polygon", "coordinates": [[[13, 59], [14, 59], [14, 60], [13, 59]]]},
        valid_from=dt.date(2000, 1, 1),
    )

    rows = csv_rows(client.get(URL, {"format": "csv"}))  # this year: no events needed

    assert rows[1][0] == "'=HYPERLINK(1)"


def test_an_unknown_municipality_code_gives_a_clear_message(client, centrum):
    response = client.get(URL, {"kommun": "9999", "ar": "2019"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns ingen kommun med kommunkoden 9999" in html
    assert "år 2019" not in html  # one clear message, not a second one about the year
    assert '<option value="1780">Karlstad</option>' in html
    csv_response = client.get(URL, {"kommun": "9999", "format": "csv"})
    assert csv_response.status_code == 400
    assert "9999" in csv_response.content.decode()


def test_an_unknown_year_or_category_gives_a_clear_message(client, centrum):
    assert "Välj ett år i listan" in client.get(URL, {"ar": "1899"}).content.decode()
    response = client.get(URL, {"kategori": "<script>"})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert "Det finns ingen huvudkategori med koden &lt;script&gt;" in response.content.decode()


def test_the_page_says_so_when_no_municipality_has_districts(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert "Det finns ännu ingen kommun med stadsdelar" in response.content.decode()
