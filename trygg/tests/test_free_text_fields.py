"""Every free-text column is a scrubbed field (DESIGN §5), and the scrubbed fields scrub on
every ORM write path: save, bulk_create, update, bulk_update."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField, free_text, is_scrubbed_field
from trygg.core.models import Job
from trygg.core.privacy import MARKERS
from trygg.events.models import Event
from trygg.measures.models import ResponsibilityRule

# Text and character columns that are NOT free text, each with the reason. Columns with
# `choices` are enums and are skipped by the walker itself. Anything else that a person can
# type must be a ScrubbedTextField or ScrubbedCharField; add a column here only with a reason.
NOT_FREE_TEXT = {
    # The audit log names objects and fields; its values are JSON built by the actions.
    "core.AuditEntry.object_type": "a model label",
    "core.AuditEntry.object_id": "a primary key",
    "core.AuditEntry.field": "a field name",
    "core.Job.kind": "a job type code",
    "core.WorkerBeat.host": "the worker machine's host name, from the system",
    "core.Job.claimed_by": "host:pid of the worker running the job, from the system",
    # Organisations and their reference data: names of organisations, not of people.
    "organisations.Organisation.code": "a slug",
    "organisations.Organisation.name": "the organisation's name",
    "organisations.Organisation.contact_email": "the organisation's function mailbox, validated",
    "organisations.ApiToken.prefix": "the token's first characters, generated",
    "organisations.ApiToken.key_hash": "a SHA-256 hash",
    "places.Municipality.code": "kommunkod, reference data",
    "places.Municipality.name": "the municipality's name, reference data",
    "places.Municipality.county_code": "länskod, reference data",
    "places.Area.name": "the area's name",
    "places.Area.code": "the area's code",
    "places.Place.name": "the place's name",
    "places.Place.external_id": "the place's id in its source; unique per municipality",
    "events.Category.code": "a category code",
    "events.Category.name_sv": "the category's name",
    "events.Category.name_en": "the category's name",
    "events.PoliceEventType.name": "the police feed's type name, reference data",
    "events.DailyCount.source": "Source value (no choices on the rollup)",
    "events.DailyCount.visibility": "Visibility value (no choices on the rollup)",
    "events.ImportRun.importer": "the importer's module name",
    # Kept verbatim and therefore refused, not scrubbed, when it holds an identifier
    # (importers/common.py, `holds_identifier`).
    "events.Event.external_id": "checked separately: refused if it holds an identifier",
    "events.Event.external_type": "the source's type name, mapped to a category",
    "events.Event.source_url": "a link to the source's own page",
    "situation.MeetingPack.period_kind": "week or tertial, set by the action",
    "situation.MeetingPack.label": "generated from the place's name and the period",
    "measures.Notification.key": "a deduplication key, generated",
    "measures.Notification.recipients": "e-mail addresses of users and function mailboxes",
    "walks.ChecklistTemplate.code": "a slug",
    "walks.ChecklistItem.code": "a slug",
    "walks.Finding.suggestion_reason": "the routing's Reason value, set by the action",
    "walks.WalkNotice.key": "a deduplication key, generated",
    "walks.WalkNotice.recipients": "e-mail addresses of users and function mailboxes",
    "promises.FollowUpReminder.recipients": "e-mail addresses of users and function mailboxes",
    "promises.Commitment.indicator_kind": "a key of a registered indicator kind, checked",
    "citizens.CitizenReport.tracking_hash": "a SHA-256 hash",
    "citizens.StatusContact.email": "a resident's address for status mails only, validated, "
    "never shown to staff, deleted when the report closes (issue 12)",
    "citizens.Open311Client.name": "the client application's name, typed by an admin",
    "citizens.Open311Client.key_hash": "a SHA-256 hash",
    "citizens.Open311Client.key_prefix": "the key's first characters, generated",
    "surveys.Questionnaire.code": "a slug",
    "surveys.Item.code": "a slug, the column of a response file",
    "surveys.ResponseFile.sha256": "a SHA-256 hash",
    "surveys.Population.age_group": "an age group code from the survey's list, checked on import",
    "surveys.Respondent.age_group": "an age group code from the survey's list, checked on import",
}


def unscrubbed_free_text(model_classes, allowed) -> list[str]:
    """`app.Model.field` for each text or character column that is neither scrubbed, an
    enum (choices) nor in `allowed`."""
    found = []
    for model in model_classes:
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField):
                continue
            name = f"{model._meta.label}.{field.name}"
            if is_scrubbed_field(field) or field.choices or name in allowed:
                continue
            found.append(name)
    return found


def trygg_models():
    return [m for m in apps.get_models() if m.__module__.startswith("trygg.")]


def test_every_free_text_column_of_trygg_is_a_scrubbed_field():
    assert unscrubbed_free_text(trygg_models(), NOT_FREE_TEXT) == []


def test_the_allow_list_names_only_columns_that_exist_and_are_not_scrubbed():
    existing = {
        f"{m._meta.label}.{f.name}": f
        for m in trygg_models()
        for f in m._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
    }
    for name in NOT_FREE_TEXT:
        assert name in existing, f"{name} is allowed but no longer exists"
        assert not is_scrubbed_field(existing[name]), f"{name} is scrubbed: drop it from the list"


@isolate_apps("trygg.core")
def test_a_new_plain_text_field_is_caught_by_the_walker():
    class Finding(models.Model):  # noqa: DJ008 (a model for this test only)
        code = models.CharField(max_length=10, choices=[("a", "A")])
        comment = models.TextField()
        headline = models.CharField(max_length=80)
        scrubbed = ScrubbedTextField()

        class Meta:
            app_label = "core"

    assert unscrubbed_free_text([Finding], NOT_FREE_TEXT) == [
        "core.Finding.comment",
        "core.Finding.headline",
    ]
    assert unscrubbed_free_text([Finding], {"core.Finding.comment", "core.Finding.headline"}) == []


PHONE = "070-123 45 67"
PNR = "19850412-1230"


def test_saving_a_model_stores_its_free_text_scrubbed_and_scrubs_the_object_too(db):
    job = Job.objects.create(kind="test", error=f"Rad 3: ringde {PHONE}")
    assert PHONE not in job.error  # the object in memory, which an action audits or shows
    assert MARKERS["phone"] in Job.objects.get(pk=job.pk).error


def test_bulk_create_stores_free_text_scrubbed(db):
    Job.objects.bulk_create([Job(kind="a", error=PNR), Job(kind="b", error="inget")])
    assert sorted(Job.objects.values_list("error", flat=True)) == [
        MARKERS["personnummer"],
        "inget",
    ]


def test_queryset_update_and_bulk_update_store_free_text_scrubbed(make_event, kommunen):
    event = make_event(kommunen)
    Event.objects.filter(pk=event.pk).update(description=f"Ring {PHONE}")
    assert Event.objects.get(pk=event.pk).description == f"Ring {MARKERS['phone']}"
    event.description = f"Anmälare {PNR}"
    Event.objects.bulk_update([event], ["description"])
    assert Event.objects.get(pk=event.pk).description == f"Anmälare {MARKERS['personnummer']}"


def test_a_scrubbed_char_field_still_fits_its_column_after_the_marker_is_added(db, kommunen):
    column = ResponsibilityRule._meta.get_field("note")
    assert isinstance(column, ScrubbedCharField)
    text = "x" * (column.max_length - len(PHONE)) + PHONE  # fits before scrubbing
    rule = ResponsibilityRule(organisation=kommunen, note=text)
    assert len(column.pre_save(rule, add=True)) == column.max_length


def test_free_text_tells_the_action_whether_anything_was_removed():
    column = ResponsibilityRule._meta.get_field("note")
    result = free_text(f"  Kontakt {PHONE}  ", column)
    assert result.text == f"Kontakt {MARKERS['phone']}"
    assert result.was_scrubbed and result.kinds == {"phone"}
    assert free_text(result.text).was_scrubbed is False  # what the field's own pass then finds
    assert free_text(None) == free_text("")
