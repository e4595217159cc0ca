"""Sections that higher apps add to the annual lägesbild (annual_sections.py): computed with a
version's figures and kept in it, numbered after the generated mapping, shown on the page and in
the PDF from the kept data; a section with nothing to say, or one registered after a version
was kept, leaves that version as it was."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.test import override_settings

from trygg.core.tests.clock import TODAY
from trygg.situation import annual, annual_sections
from trygg.situation.actions import create_annual_report, save_annual_version

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

YEAR = TODAY.year - 1
SECTION_TEMPLATE = "tests/annual_section.html"
SECTION_MARKUP = "<p>Mätt: {{ data.value }}</p>"


def _templates_with_section() -> list[dict]:
    """The project's templates plus one in memory for the test's section."""
    templates: list[dict] = copy.deepcopy(settings.TEMPLATES)
    engine = templates[0]
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {SECTION_TEMPLATE: "<p>Mätt: {{ data.value }}</p>"},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return templates


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, so the installed apps' sections stay out of it."""
    sections: dict = {}
    monkeypatch.setattr(annual_sections, "_SECTIONS", sections)
    return sections


def _register(calls: list, value):
    def compute(municipality, year, last_day):
        calls.append((municipality.code, year, last_day))
        return None if value is None else {"value": value}

    annual_sections.register(
        annual_sections.AnnualSection("test", "Testavsnitt", SECTION_TEMPLATE, compute)
    )


def test_a_section_is_kept_in_the_version_and_shown_after_the_mapping(
    client, registry, karlstad, coordinator
):
    calls: list = []
    _register(calls, 42)

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)

    version = report.latest()
    assert version.generated["sections"]["test"] == {"value": 42}
    assert calls == [("1780", YEAR, annual.report_period(YEAR, TODAY).last_day)]
    keys = [entry["key"] for entry in annual.outline(version.generated["sections"])]
    assert keys.index("test") == keys.index("sources") + 1
    client.force_login(coordinator)
    with override_settings(TEMPLATES=_templates_with_section()):
        page = client.get(f"/lagesbild/ar/{report.pk}/version/1/").content.decode()
    assert 'id="avsnitt-test"' in page and "Testavsnitt" in page
    assert "<p>Mätt: 42</p>" in page


def test_a_section_with_nothing_to_say_is_left_out(client, registry, karlstad, coordinator):
    _register([], None)

    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)

    sections = report.latest().generated["sections"]
    assert "test" not in sections
    assert "test" not in [entry["key"] for entry in annual.outline(sections)]
    client.force_login(coordinator)
    assert "Testavsnitt" not in client.get(report.get_absolute_url()).content.decode()


def test_a_version_kept_before_the_section_existed_stays_as_it_was(registry, karlstad, coordinator):
    report, _created = create_annual_report(karlstad, YEAR, acting_user=coordinator)
    _register([], 7)

    kept = save_annual_version(report, {}, regenerate=False, note="", acting_user=coordinator)
    recounted = save_annual_version(report, {}, regenerate=True, note="", acting_user=coordinator)

    assert "test" not in kept.generated["sections"]
    assert recounted.generated["sections"]["test"] == {"value": 7}


def test_a_section_may_not_take_a_generated_sections_key(registry, karlstad, coordinator):
    annual_sections.register(
        annual_sections.AnnualSection("areas", "Områden", SECTION_TEMPLATE, lambda *a: {})
    )

    with pytest.raises(ValueError, match="clash"):
        create_annual_report(karlstad, YEAR, acting_user=coordinator)


def test_the_same_key_cannot_be_registered_twice_for_different_sections(registry):
    _register([], 1)

    with pytest.raises(ValueError, match="already registered"):
        annual_sections.register(
            annual_sections.AnnualSection("test", "Annat", SECTION_TEMPLATE, lambda *a: None)
        )
