"""`trygg import …`: exit status, messages, the police feed's owner, progress and the audit row."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connections

from trygg import cli
from trygg.core.models import AuditEntry
from trygg.events.management.commands.import_events import ProgressBar
from trygg.events.models import Event, ImportRun
from trygg.events.tests.factories import refused_import, run_import
from trygg.events.tests.test_import_polisen import (
    KARLSTAD_AFTER_2026,
    KARLSTAD_UNPADDED,
    NIGHT_SUMMARY,
    VARMLAND_COUNTY,
    record,
)
from trygg.organisations.models import Organisation


def feed_file(tmp_path, *records, name="events.json"):
    path = tmp_path / name
    path.write_text(json.dumps(list(records), ensure_ascii=False), encoding="utf-8")
    return path


def test_the_police_feed_is_owned_by_the_police_authority_created_on_first_import(tmp_path, db):
    path = feed_file(tmp_path, KARLSTAD_UNPADDED, NIGHT_SUMMARY)
    out, err = run_import("polisen", path)
    authority = Organisation.objects.get(code="polismyndigheten")
    assert (authority.name, authority.kind, authority.municipality.code) == (
        "Polismyndigheten",
        "police",
        "0180",
    )
    assert Event.objects.get().organisation == authority
    assert AuditEntry.objects.filter(action="create", object_id=str(authority.pk)).exists()
    assert "2 poster lästa: 1 nya, 0 fanns redan." in out
    assert "1 hoppades över: sammanfattning av natt/dag, inte en enskild händelse" in out
    assert err == ""  # no progress bar when stderr is not a terminal
    run_import("polisen", feed_file(tmp_path, VARMLAND_COUNTY, name="more.json"))
    assert Organisation.objects.filter(code="polismyndigheten").count() == 1


def test_the_police_feed_may_be_given_to_a_local_police_organisation(tmp_path, polisen):
    run_import(
        "polisen", feed_file(tmp_path, KARLSTAD_UNPADDED), "--organisation", "polisen-karlstad"
    )
    assert Event.objects.get().organisation == polisen
    assert not Organisation.objects.filter(code="polismyndigheten").exists()


def test_the_police_feed_cannot_be_given_to_an_organisation_that_is_not_the_police(
    tmp_path, bostadsbolaget
):
    reason, _ = refused_import(
        "polisen", feed_file(tmp_path, KARLSTAD_UNPADDED), "--organisation", "kbab"
    )
    assert "kbab är ingen polisorganisation" in reason


def test_the_county_option_keeps_one_county(tmp_path, db):
    nacka = record(
        KARLSTAD_UNPADDED,
        id=1,
        name="22 juni 08.16, Brand, Nacka",
        location={"name": "Nacka", "gps": "59.307903,18.156042"},
    )
    out, _ = run_import("polisen", feed_file(tmp_path, KARLSTAD_UNPADDED, nacka), "--county", "17")
    assert list(Event.objects.values_list("external_id", flat=True)) == ["530925"]
    assert "1 hoppades över: utanför valt län (17)" in out
    reason, _ = refused_import("polisen", feed_file(tmp_path, KARLSTAD_UNPADDED), "--county", "99")
    assert "Okänd länskod: 99" in reason and "17 Värmland" in reason


def test_invalid_rows_are_all_listed_and_nothing_is_written(tmp_path, db):
    path = feed_file(
        tmp_path,
        KARLSTAD_UNPADDED,
        record(KARLSTAD_UNPADDED, id=2, location={"gps": ""}),
        record(KARLSTAD_UNPADDED, id=3, datetime="i går"),
    )
    reason, err = refused_import("polisen", path)
    assert err.splitlines() == [
        "rad 2, location.gps: saknar giltig position (”lat,lon”)",
        "rad 3, datetime: ”i går” är ingen tidpunkt",
    ]
    assert (
        reason
        == "2 ogiltiga poster; inget importerades. Rätta raderna, eller använd --skip-invalid."
    )
    assert not Event.objects.exists()
    assert not ImportRun.objects.exists()
    # Not even the police authority: the failed import is rolled back as a whole.
    assert not Organisation.objects.exists()


def test_skip_invalid_imports_the_valid_records_and_lists_the_others(tmp_path, db):
    path = feed_file(
        tmp_path, KARLSTAD_UNPADDED, record(KARLSTAD_UNPADDED, id=2, location={"gps": ""})
    )
    out, _ = run_import("polisen", path, "--skip-invalid")
    assert Event.objects.count() == 1
    assert "1 hoppades över: ogiltig post (--skip-invalid)" in out
    assert "rad 2, location.gps: saknar giltig position" in out


def test_a_file_that_is_not_json_exits_with_status_2_and_writes_nothing(tmp_path, db):
    path = tmp_path / "events.json"
    path.write_text("Sidan kunde inte visas", encoding="utf-8")
    reason, _ = refused_import("polisen", path)
    assert reason.startswith("events.json är inte giltig JSON")
    assert not Organisation.objects.exists() and not ImportRun.objects.exists()


def test_a_feed_that_is_not_utf8_exits_with_status_2(tmp_path, db):
    path = tmp_path / "events.json"
    path.write_bytes(json.dumps([KARLSTAD_UNPADDED], ensure_ascii=False).encode("latin-1"))
    reason, _ = refused_import("polisen", path)
    assert reason.startswith("events.json är inte UTF-8-kodad")
    assert not Event.objects.exists()


def test_a_missing_file_exits_with_status_2(tmp_path, db):
    reason, _ = refused_import("polisen", tmp_path / "finns-inte.json")
    assert "finns-inte.json finns inte" in reason


def test_an_unknown_organisation_is_refused_naming_the_known_codes(
    tmp_path, kommunen, bostadsbolaget
):
    reason, _ = refused_import("csv", tmp_path / "x.csv", "--organisation", "kbb")
    assert reason == "Okänd organisation: kbb. Kända koder: karlstad-kommunledning, kbab"


def test_an_unknown_user_or_visibility_is_refused(tmp_path, bostadsbolaget):
    reason, _ = refused_import(
        "csv", tmp_path / "x.csv", "--organisation", "kbab", "--user", "ingen"
    )
    assert reason == "Okänd användare: ingen"
    reason, _ = refused_import(
        "csv", tmp_path / "x.csv", "--organisation", "kbab", "--visibility", "hemlig"
    )
    assert reason.startswith("Okänd synlighet: hemlig")


def test_the_audit_row_names_the_user_given(tmp_path, police_officer):
    run_import("polisen", feed_file(tmp_path, KARLSTAD_AFTER_2026), "--user", "kommunpolis")
    run_row = ImportRun.objects.get()
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == police_officer
    assert entry.object_id == str(run_row.pk)
    assert entry.object_type == "events.importrun"


def test_the_trygg_console_script_runs_import_and_exits_with_status_2(
    tmp_path, db, capsys, monkeypatch
):
    # The command closes all connections when it ends; the test's own must stay open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["trygg", "import", "polisen", str(tmp_path / "saknas.json")])
    assert exit_.value.code == 2
    assert "saknas.json finns inte" in capsys.readouterr().err


def test_the_progress_bar_draws_each_stage_on_the_stream():
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar("read", 50, 0)
    bar("read", 100, 100)
    bar("write", 80, 80)
    bar.close()
    drawn = stream.getvalue()
    assert "Läser" in drawn and "Skriver" in drawn and "80/80" in drawn
