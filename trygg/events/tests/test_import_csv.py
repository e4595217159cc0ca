"""Partners' spreadsheets as CSV, through `trygg import csv` as a partner would run it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from trygg.conftest import KARLSTAD_CENTRE
from trygg.core.models import AuditEntry
from trygg.events.importers import csv_rows
from trygg.events.importers.base import Candidate, RowError, Skip
from trygg.events.importers.common import ImportFileError, RowLookups
from trygg.events.models import Event, ImportRun, Visibility
from trygg.events.tests.factories import refused_import, run_import
from trygg.places.geo import to_sweref
from trygg.places.models import Place

# A time in the future is refused, counted from now.
pytestmark = pytest.mark.frozen

UTC = dt.UTC
HEADER = "external_id;occurred_at;category;lat;lon;description"
# What Swedish Excel saves as "CSV (semikolonavgränsad)": Windows-1252, ';', decimal commas.
SWEDISH_EXCEL = (
    "external_id;occurred_at;category;lat;lon;description;place;visibility\r\n"
    "kb-1;2026-03-01 21:30;Skadegörelse;59,3793;13,5036;Sönderslagen ruta i trapphuset, "
    "Älvgatan;;samverkanspartner\r\n"
    "kb-2;2026-03-02;Glaskross;59,3801;13,5042;Glas på gården vid förskolan;;egen organisation\r\n"
)


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "rapporter.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def import_csv(path, *options, organisation="kbab"):
    return run_import("csv", path, "--organisation", organisation, *options)


def refused(path, *options, organisation="kbab") -> str:
    """Run an import that must fail; return what the user is told (error lines and reason)."""
    reason, err = refused_import("csv", path, "--organisation", organisation, *options)
    return err + reason


def nothing_written() -> bool:
    return not Event.objects.exists() and not ImportRun.objects.exists()


def row(
    external_id="r1",
    occurred_at="2026-03-01 21:30",
    category="klotter",
    lat="59.3793",
    lon="13.5036",
    description="Klotter på gaveln",
) -> str:
    return ";".join([external_id, occurred_at, category, lat, lon, description])


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


# --- encodings and delimiters ---------------------------------------------------------------


def test_a_csv_in_windows_1252_from_swedish_excel_is_read(tmp_path, bostadsbolaget, centrum):
    out, _ = import_csv(write(tmp_path, SWEDISH_EXCEL, "cp1252"))
    first, second = Event.objects.order_by("external_id")
    assert first.description == "Sönderslagen ruta i trapphuset, Älvgatan"
    assert first.category.code == "skadegorelse"
    assert (first.lat, first.lon) == (59.3793, 13.5036)
    assert first.occurred_from == dt.datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # 21:30 Swedish
    assert first.visibility == Visibility.PARTNERS
    assert first.area == centrum
    assert second.description == "Glas på gården vid förskolan"
    assert second.category.code == "skadegorelse.glaskross"
    assert second.occurred_from == dt.datetime(2026, 3, 1, 23, 0, tzinfo=UTC)  # midnight Swedish
    assert second.visibility == Visibility.ORGANISATION
    assert "2 poster lästa: 2 nya" in out


def test_a_utf8_csv_with_a_byte_order_mark_is_read(tmp_path, bostadsbolaget):
    import_csv(write(tmp_path, SWEDISH_EXCEL, "utf-8-sig"))
    assert Event.objects.get(external_id="kb-1").description.startswith("Sönderslagen")


def test_a_utf8_csv_with_commas_and_decimal_points_is_read(tmp_path, bostadsbolaget):
    text = (
        "external_id,occurred_at,category,lat,lon,description\n"
        'x1,2026-03-01T21:30:00+01:00,Klotter,59.3793,13.5036,"Tags på muren, tre meter"\n'
    )
    import_csv(write(tmp_path, text))
    event = Event.objects.get()
    assert event.description == "Tags på muren, tre meter"
    assert event.occurred_from == dt.datetime(2026, 3, 1, 20, 30, tzinfo=UTC)


def test_a_tab_separated_utf16_file_from_excels_unicode_text_is_read(tmp_path, bostadsbolaget):
    text = csv_text(row(description="Klotter på gaveln")).replace(";", "\t")
    import_csv(write(tmp_path, text, "utf-16"))
    assert Event.objects.get().description == "Klotter på gaveln"


# --- invalid files and rows: a message, and nothing written ---------------------------------


def test_a_missing_required_column_is_reported_before_any_row(tmp_path, bostadsbolaget):
    text = "external_id;occurred_at;kategori;lat;lon;description\nr1;2026-03-01;klotter;59;13;x\n"
    message = refused(write(tmp_path, text))
    assert "saknar kolumnerna category" in message
    assert "rad " not in message
    assert nothing_written()


def test_coordinates_outside_sweden_are_refused_and_nothing_is_written(tmp_path, bostadsbolaget):
    path = write(tmp_path, csv_text(row("ok"), row("oslo", lat="59,9139", lon="10,7522")))
    message = refused(path)
    assert "rad 3, lat/lon: positionen ligger utanför Sverige" in message
    assert "inget importerades" in message
    assert nothing_written()


def test_a_date_in_the_future_is_refused_and_nothing_is_written(tmp_path, bostadsbolaget):
    tomorrow = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    message = refused(write(tmp_path, csv_text(row("ok"), row("sen", occurred_at=tomorrow))))
    assert "rad 3, occurred_at: tidpunkten ligger i framtiden" in message
    assert nothing_written()


def test_an_unknown_category_is_refused_and_nothing_is_written(tmp_path, bostadsbolaget):
    message = refused(write(tmp_path, csv_text(row(category="Snöbollskrig"))))
    assert "rad 2, category: okänd kategori ”Snöbollskrig”" in message
    assert nothing_written()


def test_every_invalid_row_is_reported_with_its_spreadsheet_row_number(tmp_path, bostadsbolaget):
    path = write(
        tmp_path,
        csv_text(
            row("a"),
            row("", description="utan id"),
            row("b", lat="norr"),
            row("c", occurred_at="1 mars"),
            row("d", occurred_at="2026-03-02 10:00") + ";;;2026-03-01 10:00",
        ),
    )
    message = refused(path)
    assert "rad 3, external_id: external_id saknas" in message
    assert "rad 4, lat: ”norr” är inget tal (lat)" in message
    assert "rad 5, occurred_at: ”1 mars” är ingen tidpunkt" in message
    assert "rad 6, kolumner:" in message
    assert "4 ogiltiga poster; inget importerades." in message
    assert nothing_written()


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused(tmp_path, bostadsbolaget):
    path = tmp_path / "trasig.csv"
    path.write_bytes(HEADER.encode() + b"\n\x81\x8d\x8f;\n")
    assert "varken UTF-8 eller Windows-1252" in refused(path)
    assert nothing_written()


def test_an_end_before_the_start_is_a_row_error(tmp_path, bostadsbolaget):
    text = csv_text(row() + ";2026-03-01 20:00", header=HEADER + ";occurred_to")
    assert "rad 2, occurred_to: sluttiden är före starttiden" in refused(write(tmp_path, text))


# --- what gets stored ----------------------------------------------------------------------


def test_rerunning_the_same_file_adds_nothing(tmp_path, bostadsbolaget):
    path = write(tmp_path, SWEDISH_EXCEL, "cp1252")
    import_csv(path)
    out, _ = import_csv(path)
    assert Event.objects.count() == 2
    assert "2 poster lästa: 0 nya, 2 fanns redan." in out


def test_another_organisations_id_is_refused_as_in_the_api(tmp_path, bostadsbolaget, kommunen):
    path = write(tmp_path, SWEDISH_EXCEL, "cp1252")
    import_csv(path, organisation="kbab")
    message = refused(path, organisation="karlstad-kommunledning")
    assert "rad 2, external_id: id:t används redan av en annan organisation" in message
    assert not Event.objects.filter(organisation=kommunen).exists()


def test_the_same_id_twice_in_one_file_is_a_row_error(tmp_path, bostadsbolaget):
    message = refused(write(tmp_path, csv_text(row("a"), row("b"), row("a"))))
    assert "rad 4, external_id: samma external_id som rad 2" in message
    assert not Event.objects.exists()


def test_skip_invalid_writes_the_valid_rows_and_reports_the_invalid_ones(tmp_path, bostadsbolaget):
    path = write(tmp_path, csv_text(row("a"), row("b", category="okänd"), row("c")))
    out, _ = import_csv(path, "--skip-invalid")
    assert set(Event.objects.values_list("external_id", flat=True)) == {"a", "c"}
    assert "1 hoppades över: ogiltig post (--skip-invalid)" in out
    assert "rad 3, category: okänd kategori ”okänd”" in out
    assert ImportRun.objects.get().skipped == {"ogiltig post (--skip-invalid)": 1}


def test_an_import_writes_an_audit_row_naming_the_user(tmp_path, bostadsbolaget, housing_reporter):
    import_csv(write(tmp_path, SWEDISH_EXCEL, "cp1252"), "--user", "bovard")
    run = ImportRun.objects.get()
    entry = AuditEntry.objects.get(action="import", object_id=str(run.pk))
    assert entry.actor == housing_reporter
    assert run.started_by == housing_reporter
    assert "2 nya" in entry.new
    assert set(Event.objects.values_list("import_run", flat=True)) == {run.pk}


def test_a_row_with_a_personnummer_is_stored_without_it(tmp_path, bostadsbolaget):
    import_csv(write(tmp_path, csv_text(row(description="Boende 19850412-1230 störde"))))
    event = Event.objects.get()
    assert "19850412-1230" not in event.description
    assert event.was_scrubbed


def test_a_nul_character_from_an_export_is_dropped(tmp_path, bostadsbolaget):
    import_csv(write(tmp_path, csv_text(row("a\x00", description="Klotter\x00 på gaveln"))))
    event = Event.objects.get()
    assert (event.external_id, event.description) == ("a", "Klotter på gaveln")


def test_category_is_a_code_or_a_swedish_name_in_any_case(tmp_path, bostadsbolaget):
    rows = [
        row("a", category="SKADEGORELSE.KLOTTER"),
        row("b", category="  klotter "),
        row("c", category="Misstänkt droghantering"),
    ]
    import_csv(write(tmp_path, csv_text(*rows)))
    codes = dict(Event.objects.values_list("external_id", "category__code"))
    assert codes == {"a": "skadegorelse.klotter", "b": "skadegorelse.klotter", "c": "ordning.drog"}


def test_a_place_is_found_by_name_in_the_organisations_municipality(
    tmp_path, bostadsbolaget, karlstad
):
    x, y = to_sweref(KARLSTAD_CENTRE[1], KARLSTAD_CENTRE[0])
    torget = Place.objects.create(
        municipality=karlstad,
        name="Stora torget",
        lat=KARLSTAD_CENTRE[0],
        lon=KARLSTAD_CENTRE[1],
        x=x,
        y=y,
    )
    header = HEADER + ";place"
    import_csv(write(tmp_path, csv_text(row("a") + ";stora Torget", row("b") + ";", header=header)))
    places = dict(Event.objects.values_list("external_id", "place"))
    assert places == {"a": torget.pk, "b": None}
    message = refused(
        write(tmp_path, csv_text(row("c") + ";Lilla torget", header=header), name="2.csv")
    )
    assert "rad 2, place: okänd plats ”Lilla torget” i kommunen" in message


def test_visibility_is_read_in_swedish_or_english_and_defaults_to_the_option(
    tmp_path, bostadsbolaget
):
    header = HEADER + ";visibility"
    rows = [
        row("a") + ";offentlig",
        row("b") + ";Partners",
        row("c") + ";egen organisation",
        row("d") + ";",
    ]
    import_csv(write(tmp_path, csv_text(*rows, header=header)), "--visibility", "offentlig")
    assert dict(Event.objects.values_list("external_id", "visibility")) == {
        "a": "public",
        "b": "partners",
        "c": "organisation",
        "d": "public",
    }


def test_empty_rows_from_a_spreadsheet_are_skipped(tmp_path, bostadsbolaget):
    out, _ = import_csv(write(tmp_path, csv_text(row("a"), ";;;;;", "")))
    assert Event.objects.count() == 1
    assert "2 hoppades över: tom rad" in out


# --- the parser on its own ------------------------------------------------------------------


@pytest.fixture
def lookups(bostadsbolaget):
    return RowLookups.load(bostadsbolaget)


def test_the_delimiter_and_encoding_are_detected_from_the_file():
    table = csv_rows.read_data(SWEDISH_EXCEL.encode("cp1252"))
    assert (table.encoding, table.delimiter) == ("windows-1252", ";")
    table = csv_rows.read_data(csv_text(row()).replace(";", ",").encode("utf-8-sig"))
    assert (table.encoding, table.delimiter) == ("utf-8", ",")


def test_a_file_with_no_header_is_refused():
    with pytest.raises(ImportFileError, match="är tom"):
        csv_rows.read_data(b"\r\n\r\n", "tom.csv")


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(max_size=12), max_size=8))
def test_any_row_of_cells_gives_exactly_one_result_and_never_crashes(lookups, cells):
    table = csv_rows.CsvTable(
        columns=HEADER.split(";") + ["place", "visibility"],
        encoding="utf-8",
        delimiter=";",
        open_rows=lambda: iter([cells]),
    )
    (result,) = csv_rows.parse(table, organisation=None, lookups=lookups)
    assert isinstance(result, Candidate | RowError | Skip)
    assert result.row == 2
