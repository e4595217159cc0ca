"""The category seed: a consistent tree and a police mapping that covers the real feed."""

import gzip
import json
from pathlib import Path

import pytest

from trygg.events import category_seed as seed
from trygg.events.category_seed import (
    POLICE_SUMMARY_TYPES,
    POLICE_TYPE_CATEGORY,
    UNKNOWN_POLICE_TYPE_CATEGORY,
    iter_categories,
    police_category_code,
)

POLICE_FEED = (
    Path(__file__).resolve().parents[4] / "shared" / "data" / "polisen_events_2022-2026.json.gz"
)


@pytest.fixture(scope="module")
def feed_types() -> set[str]:
    if not POLICE_FEED.exists():
        pytest.skip(f"the police feed file is not present at {POLICE_FEED}")
    with gzip.open(POLICE_FEED, "rt", encoding="utf-8") as fh:
        return {event["type"] for event in json.load(fh)}


def _rows() -> list[tuple]:
    return list(iter_categories())


def _codes() -> set[str]:
    return {row[0] for row in _rows()}


def test_every_category_code_is_unique():
    codes = [row[0] for row in _rows()]
    assert len(codes) == len(set(codes))


def test_every_parent_code_names_a_category_in_the_tree():
    codes = _codes()
    assert all(parent in codes for _, _, _, parent, _, _ in _rows() if parent is not None)


def test_a_child_code_starts_with_its_parents_code():
    for code, _, _, parent, _, _ in _rows():
        if parent is not None:
            assert code.startswith(parent + "."), code


def test_iter_categories_yields_every_parent_before_its_children():
    seen: set[str] = set()
    for code, _, _, parent, _, _ in iter_categories():
        assert parent is None or parent in seen, code
        seen.add(code)


def test_iter_categories_keeps_the_tree_order_among_siblings():
    top = [(code, order) for code, _, _, parent, _, order in _rows() if parent is None]
    assert [code for code, _ in top] == [entry[0] for entry in seed.CATEGORY_TREE]
    assert [order for _, order in top] == sorted(order for _, order in top)


def test_every_name_is_filled_in_both_languages_and_fits_the_model():
    for code, name_sv, name_en, _, _, _ in _rows():
        assert name_sv.strip() and name_en.strip(), code
        assert len(code) <= 60 and len(name_sv) <= 120 and len(name_en) <= 120, code


def test_swedish_names_are_written_with_swedish_letters():
    names = {code: name_sv for code, name_sv, *_ in _rows()}
    assert names["skadegorelse"] == "Skadegörelse"
    assert names["ordning.brak"] == "Bråk"
    assert names["ordning.vald"] == "Våld"
    assert names["otrygg_plats.odsligt"].startswith("Ödsligt")
    assert names["polis"] == "Övriga polishändelser"


def test_the_est_checklist_is_marked_as_checklist_and_the_police_and_krog_subtrees_are_not():
    for code, _, _, _, is_checklist, _ in _rows():
        assert is_checklist is (code.split(".")[0] not in {"polis", "krog"}), code


def test_an_inspections_findings_have_a_subtree_of_their_own():
    krog = {code: parent for code, _, _, parent, _, _ in _rows() if code.startswith("krog")}
    assert krog["krog"] is None
    assert set(krog) == {
        "krog",
        "krog.overservering",
        "krog.alkoholservering",
        "krog.narkotika",
        "krog.ordning",
    }


def test_the_est_checklist_has_its_five_top_level_categories():
    top = [
        code for code, _, _, parent, is_checklist, _ in _rows() if parent is None and is_checklist
    ]
    assert top == ["skadegorelse", "samling", "ordning", "otrygg_plats", "arrangemang"]


def test_every_mapped_category_code_exists_in_the_tree():
    codes = _codes()
    assert set(POLICE_TYPE_CATEGORY.values()) <= codes
    assert UNKNOWN_POLICE_TYPE_CATEGORY in codes
    assert "polis.sammanfattning" in codes


def test_every_type_in_the_real_police_feed_is_mapped(feed_types):
    assert len(feed_types) == 97
    assert feed_types - POLICE_TYPE_CATEGORY.keys() == set()


def test_the_mapping_holds_no_type_absent_from_the_real_feed(feed_types):
    assert POLICE_TYPE_CATEGORY.keys() - feed_types == set()


def test_the_summary_types_are_the_feeds_sammanfattning_types(feed_types):
    assert {t for t in feed_types if t.startswith("Sammanfattning")} == POLICE_SUMMARY_TYPES


def test_summary_types_map_to_the_summary_category_and_nothing_else_does():
    for police_type, code in POLICE_TYPE_CATEGORY.items():
        assert (code == "polis.sammanfattning") is (police_type in POLICE_SUMMARY_TYPES)


@pytest.mark.parametrize(
    ("police_type", "code"),
    [
        ("Skadegörelse", "skadegorelse.annan"),
        ("Mordbrand", "skadegorelse.brand"),
        ("Misshandel, grov", "ordning.vald"),
        ("Bråk", "ordning.brak"),
        ("Narkotikabrott", "ordning.drog"),
        ("Rån väpnat", "ordning.ran"),
        ("Trafikolycka, vilt", "polis.trafik"),
        ("Sammanfattning natt", "polis.sammanfattning"),
    ],
)
def test_police_category_code_maps_known_types_to_their_category(police_type, code):
    assert police_category_code(police_type) == code


def test_police_category_code_tolerates_case_and_stray_spaces():
    assert police_category_code("Lagen om hundar och katter") == "polis.ovrigt"
    assert police_category_code("  misshandel,  grov ") == "ordning.vald"


def test_an_unknown_police_type_falls_back_to_the_other_police_category():
    assert (
        police_category_code("Helt ny händelsetyp")
        == UNKNOWN_POLICE_TYPE_CATEGORY
        == "polis.ovrigt"
    )


def test_a_new_kind_of_summary_is_still_treated_as_a_summary():
    assert police_category_code("Sammanfattning förmiddag") == "polis.sammanfattning"


def test_the_seed_module_imports_no_django_models():
    source = Path(seed.__file__).read_text(encoding="utf-8")
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in imports if "django" in line], imports
