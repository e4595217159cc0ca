"""Surveys for tests: the shipped questionnaire, a Karlstad survey over two sub-areas, an SCB
population table and response files written as the files users bring."""

from __future__ import annotations

import numpy as np

from trygg.places.models import Area
from trygg.surveys.models import DEFAULT_AGE_GROUPS, Questionnaire, Survey

SEXES = ("män", "kvinnor")


def shipped_questionnaire(version: int = 2024) -> Questionnaire:
    return Questionnaire.objects.get(code="polisens-trygghetsmatning", version=version)


def make_survey(municipality, *, year: int = 2024, name: str = "Trygghetsmätning") -> Survey:
    return Survey.objects.create(
        municipality=municipality,
        questionnaire=shipped_questionnaire(),
        year=year,
        name=name,
        age_groups=list(DEFAULT_AGE_GROUPS),
    )


def population_csv(areas: list[Area], people: int = 400, *, ages=None) -> bytes:
    """SCB's layout, one-year ages 16–85 plus children and the oldest (left out on import)."""
    lines = ["region;kön;ålder;2024"]
    for area in areas:
        for sex in SEXES:
            for age in ages or [f"{a} år" for a in range(0, 101)]:
                lines.append(f"{area.code} {area.name};{sex};{age};{people}")
    return "\n".join(lines).encode("utf-8")


def responses_csv(rows: list[dict], columns: list[str]) -> bytes:
    lines = [";".join(columns)]
    lines += [";".join(str(row.get(column, "")) for column in columns) for row in rows]
    return "\n".join(lines).encode("utf-8")


def generated_rows(areas: list[Area], items, per_cell: int = 6, seed: int = 1) -> list[dict]:
    """Respondents in every sub-area × sex × age group, answers drawn from each item's scale."""
    rng = np.random.default_rng(seed)
    rows = []
    for area in areas:
        for sex in ("kvinna", "man"):
            for group in DEFAULT_AGE_GROUPS:
                for _ in range(per_cell):
                    row = {"delomrade": area.code, "kon": sex, "aldersgrupp": group}
                    for item in items:
                        codes = [o["code"] for o in item.options]
                        if rng.random() > 0.05:  # some skip a question
                            row[item.code] = codes[int(rng.integers(0, len(codes)))]
                    rows.append(row)
    return rows
