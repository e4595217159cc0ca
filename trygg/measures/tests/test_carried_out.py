"""What measures carry out in the apps above measures (carried_out.py): every registered
source is asked once for all the measures, and their answers are merged per measure."""

from __future__ import annotations

import pytest

from trygg.measures import carried_out
from trygg.measures.carried_out import CarriedOut


@pytest.fixture
def sources(monkeypatch):
    monkeypatch.setattr(carried_out, "_SOURCES", {})


def item(text: str) -> CarriedOut:
    return CarriedOut(text, "Medborgarlöfte", "Polisen kommer att", f"/loften/#{text}")


def test_every_source_is_asked_once_and_the_answers_are_merged_per_measure(sources):
    asked: list[list[int]] = []

    def first(ids):
        asked.append(ids)
        return {1: [item("a")], 2: [item("b")]}

    carried_out.register("first", first)
    carried_out.register("second", lambda ids: {1: [item("c")]})
    found = carried_out.for_measures([2, 1, 2])
    assert asked == [[1, 2]]
    assert [i.text for i in found[1]] == ["a", "c"]
    assert [i.text for i in found[2]] == ["b"]
    assert carried_out.for_measures([]) == {}


def test_a_key_is_registered_once(sources):
    def source(ids):
        return {}

    carried_out.register("promises", source)
    carried_out.register("promises", source)  # AppConfig.ready may run twice
    with pytest.raises(ValueError, match="already registered"):
        carried_out.register("promises", lambda ids: {})


def test_promises_registers_its_commitments():
    assert "promises" in carried_out.registered()
