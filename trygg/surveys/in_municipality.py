"""Reading a survey's rows with its municipality named.

A survey's frame, population, respondents and response files all carry the survey's
`municipality_id`, and sharded by it (Citus) a query goes to one shard only when every
sharded table in it names that municipality: `survey=survey` alone says only `survey_id = X`,
and the population reaches its survey through its frame area (a join)."""

from __future__ import annotations

from trygg.surveys.models import FrameArea, Population, Respondent, ResponseFile, Survey


def survey_rows(model: type[FrameArea | Respondent | ResponseFile], survey: Survey):
    """The survey's frame areas, respondents or response files, in its municipality."""
    return model.objects.filter(municipality_id=survey.municipality_id, survey=survey)


def frame_of(survey: Survey):
    return survey_rows(FrameArea, survey)


def respondents_of(survey: Survey, *, with_frame_area: bool = False):
    """The respondents; `with_frame_area` for a query that reads their frame area's columns
    (a join), which then names the municipality too."""
    rows = survey_rows(Respondent, survey)
    if with_frame_area:
        rows = rows.filter(frame_area__municipality_id=survey.municipality_id)
    return rows


def population_of(survey: Survey):
    """The population cells of the survey's frame, naming the municipality for the cell and
    for the frame area it is reached through."""
    return Population.objects.filter(
        municipality_id=survey.municipality_id,
        frame_area__municipality_id=survey.municipality_id,
        frame_area__survey=survey,
    )
