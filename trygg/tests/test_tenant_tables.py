"""Every table of the project belongs to a municipality, directly or through the row it hangs
on, or is named here as shared by all (decision 0035). A new table that is neither fails, so
that no one adds a table the tenancy rules cannot reach."""

from __future__ import annotations

from django.apps import apps
from django.db import models

# Shared by every municipality on the installation, each with the reason.
SHARED = {
    "places.Municipality": "the reference list itself",
    "events.Category": "the category tree is national (names may vary per municipality)",
    "events.PoliceEventType": "the police feed's national types",
    "surveys.Questionnaire": "the police's national questionnaire, versioned",
    "surveys.Item": "a questionnaire's questions",
    "core.AuditEntry": "the audit log names objects by type and id, whatever their owner",
    "core.Job": "the worker's queue; each job's arguments name its own rows",
    "core.WorkerBeat": "the worker's pulse",
    "organisations.ApiToken": "a user's own token; what it reaches follows the memberships",
    # One file may hold a whole county's events (the police feed): each event carries its own
    # municipality; the run keeps its organisation, if any, only as the importer.
    "events.ImportRun": "one import of a file, across municipalities",
}
# Tables that belong to a municipality only through another row, each with the reason. Every
# other tenant table carries its municipality itself, NOT NULL, so that it can be sharded by it
# (decision 0037, step 1; decision 0038).
THROUGH_ANOTHER_ROW = {
    "organisations.Membership": "stays with the users on the coordinator; a partner works in many",
    "walks.ChecklistTemplate": "a national template has no municipality; templates are small "
    "reference data every node holds",
    "walks.ChecklistItem": "a template's questions, reference data with their template",
}
# The columns that lead from a row to the one it belongs to, at most this many steps.
MAX_STEPS = 3


def _path_to_municipality(model, steps: int = 0) -> list[str] | None:
    names = {f.name for f in model._meta.fields}
    if "municipality" in names:
        return ["municipality"]
    if steps == MAX_STEPS:
        return None
    for field in model._meta.fields:
        if isinstance(field, models.ForeignKey) and field.related_model is not model:
            rest = _path_to_municipality(field.related_model, steps + 1)
            if rest is not None and not field.null:
                return [field.name, *rest]
    return None


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("trygg.")]


def test_every_table_belongs_to_a_municipality_or_is_named_shared():
    lost = [
        m._meta.label
        for m in project_models()
        if m._meta.label not in SHARED and _path_to_municipality(m) is None
    ]
    assert not lost, "Ingen väg till en kommun: " + ", ".join(sorted(lost))


def test_every_tenant_table_carries_its_municipality_itself_and_never_empty():
    lacking = []
    for model in project_models():
        label = model._meta.label
        if label in SHARED or label in THROUGH_ANOTHER_ROW:
            continue
        field = next((f for f in model._meta.fields if f.name == "municipality"), None)
        if field is None or field.null:
            lacking.append(label)
    assert not lacking, "Saknar egen kommunkolumn: " + ", ".join(sorted(lacking))


def test_the_shared_list_names_only_tables_that_exist():
    labels = {m._meta.label for m in project_models()}
    assert set(SHARED) <= labels
    assert set(THROUGH_ANOTHER_ROW) <= labels


def test_a_row_reaches_its_municipality_through_columns_that_cannot_be_empty():
    path = _path_to_municipality(apps.get_model("organisations", "Membership"))
    assert path == ["organisation", "municipality"]
