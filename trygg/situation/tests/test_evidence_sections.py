"""The registry of a problem area's evidence sections: apps above situation register from
their AppConfig.ready, sections come in their order, one with nothing to say is left out,
and a key is registered once."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.situation import evidence_sections
from trygg.situation.evidence_sections import EvidenceSection


@pytest.fixture
def empty(monkeypatch):
    monkeypatch.setattr(evidence_sections, "_SECTIONS", {})


def test_sections_come_in_order_and_silent_ones_are_left_out(empty):
    calls = []

    def second(*args):
        calls.append(args)
        return {"n": 2}

    evidence_sections.register(EvidenceSection("b", "B", "b.html", second, order=20))
    evidence_sections.register(
        EvidenceSection("a", "A", "a.html", lambda *args: {"n": 1}, order=10)
    )
    evidence_sections.register(EvidenceSection("c", "C", "c.html", lambda *args: None, order=5))

    computed = evidence_sections.compute_all(
        "kommunen", ("område",), ("kategori",), dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    )

    assert [(c.section.key, c.data) for c in computed] == [("a", {"n": 1}), ("b", {"n": 2})]
    assert calls == [
        ("kommunen", ["område"], ["kategori"], dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    ]


def test_a_key_is_registered_once(empty):
    section = EvidenceSection("a", "A", "a.html", lambda *args: None)
    evidence_sections.register(section)
    evidence_sections.register(section)  # AppConfig.ready may run again: the same is fine

    with pytest.raises(ValueError, match="already registered"):
        evidence_sections.register(EvidenceSection("a", "A", "other.html", lambda *args: None))


def test_the_survey_and_the_dialogues_are_registered_by_their_apps():
    keys = [section.key for section in evidence_sections.registered()]
    assert keys[:2] == ["survey", "dialogues"]
