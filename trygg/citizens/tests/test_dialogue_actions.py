"""Recording citizen dialogues: who may, what is refused (and then nothing is written), one
row per theme and area, quotes scrubbed and kept out of the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.citizens.actions import dialogues as actions
from trygg.citizens.actions.dialogues import MentionRow
from trygg.citizens.models import (
    Dialogue,
    DialogueMention,
    DialogueOrganisation,
    DialogueQuote,
    Theme,
)
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import make_organisation, make_person
from trygg.places.tests.factories import make_place

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def audit(obj, action=None):
    rows = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return rows.filter(action=action) if action else rows


# --- who may ---------------------------------------------------------------------------------


def test_the_coordinator_records_a_dialogue_with_the_police(
    coordinator, karlstad, kommunen, polisen, kronoparken
):
    dialogue = make_dialogue(
        coordinator, karlstad, [kommunen, polisen], area=kronoparken, visitors=43
    )

    stored = Dialogue.objects.get(pk=dialogue.pk)
    assert stored.held_on == TODAY - dt.timedelta(days=2)
    assert stored.area == kronoparken
    assert stored.visitors == 43
    assert set(stored.organisations.all()) == {kommunen, polisen}
    created = audit(stored, AuditEntry.Action.CREATE).get()
    assert created.actor == coordinator
    assert created.new["area_id"] == kronoparken.pk
    assert audit(stored).filter(field="organisations").get().new == (
        "karlstad-kommunledning,polisen-karlstad"
    )


def test_an_officer_of_the_police_present_records_it(police_officer, karlstad, polisen):
    dialogue = make_dialogue(police_officer, karlstad, [polisen])
    assert dialogue.created_by == police_officer


def test_a_reporter_whose_organisation_was_not_there_may_not(housing_reporter, karlstad, polisen):
    with pytest.raises(PermissionDenied):
        make_dialogue(housing_reporter, karlstad, [polisen])
    assert not Dialogue.objects.exists()


def test_an_analyst_may_not_even_for_an_organisation_present(analyst, karlstad, kommunen):
    # Analysts read; the municipality's coordinators and the reporters present write.
    with pytest.raises(PermissionDenied):
        make_dialogue(analyst, karlstad, [kommunen])


def test_another_municipalitys_coordinator_may_not(other_municipality_user, karlstad, kommunen):
    with pytest.raises(PermissionDenied):
        make_dialogue(other_municipality_user, karlstad, [kommunen])
    assert not Dialogue.objects.exists()


def test_a_police_organisation_of_a_neighbouring_municipality_may_be_present(
    coordinator, karlstad, karlskoga, kommunen
):
    # A lokalpolisområde is registered in one municipality and serves its neighbours.
    neighbours_police = make_organisation(
        karlskoga, "polisen-karlskoga", "Polisen Karlskoga", Organisation.Kind.POLICE
    )
    officer = make_person("grannpolis", neighbours_police, Membership.Role.REPORTER)

    dialogue = make_dialogue(officer, karlstad, [neighbours_police])

    assert list(dialogue.organisations.all()) == [neighbours_police]
    assert dialogue in actions.visible_dialogues(officer)
    assert make_dialogue(coordinator, karlstad, [kommunen, neighbours_police]).pk


def test_the_link_to_a_neighbours_police_carries_the_dialogues_municipality(karlstad, karlskoga):
    # The link lies with the dialogue, not with the organisation present.
    neighbours_police = make_organisation(
        karlskoga, "polisen-karlskoga", "Polisen Karlskoga", Organisation.Kind.POLICE
    )
    officer = make_person("grannpolis", neighbours_police, Membership.Role.REPORTER)

    dialogue = make_dialogue(officer, karlstad, [neighbours_police])

    link = DialogueOrganisation.objects.get(dialogue=dialogue)
    assert link.organisation_id == neighbours_police.pk
    assert link.municipality_id == dialogue.municipality_id == karlstad.pk


def test_another_municipalitys_department_cannot_be_present(
    coordinator, karlstad, kommunen, karlskoga_kommun
):
    with pytest.raises(ValidationError) as refused:
        make_dialogue(coordinator, karlstad, [kommunen, karlskoga_kommun])
    assert "organisations" in refused.value.message_dict
    assert not Dialogue.objects.exists()


# --- what is refused -------------------------------------------------------------------------


def test_a_dialogue_in_the_future_is_refused_and_nothing_is_written(
    coordinator, karlstad, kommunen
):
    with pytest.raises(ValidationError) as refused:
        make_dialogue(coordinator, karlstad, [kommunen], held_on=TODAY + dt.timedelta(days=1))

    assert "held_on" in refused.value.message_dict
    assert not Dialogue.objects.exists()
    assert not AuditEntry.objects.filter(object_type="citizens.dialogue").exists()


def test_today_is_not_the_future(coordinator, karlstad, kommunen):
    assert make_dialogue(coordinator, karlstad, [kommunen], held_on=TODAY).held_on == TODAY


def test_every_wrong_field_is_named_at_once(coordinator, karlstad, karlskoga, kommunen):
    elsewhere = make_place(karlskoga, "Torget i Karlskoga", lat=59.327, lon=14.523)
    with pytest.raises(ValidationError) as refused:
        make_dialogue(
            coordinator,
            karlstad,
            [],
            held_on=None,
            place=elsewhere,
            place_name="",
            visitors=100_000,
        )
    assert set(refused.value.message_dict) == {"held_on", "place", "organisations", "visitors"}


def test_a_place_or_a_place_name_is_needed(coordinator, karlstad, kommunen):
    with pytest.raises(ValidationError) as refused:
        make_dialogue(coordinator, karlstad, [kommunen], place_name="  ")
    assert "place_name" in refused.value.message_dict

    torget = make_place(karlstad)
    assert make_dialogue(coordinator, karlstad, [kommunen], place=torget, place_name="").place


def test_an_area_of_another_municipality_is_refused(
    coordinator, karlstad, karlskoga, kommunen, kronoparken
):
    from trygg.places.tests.factories import box, make_area

    karlskoga_area = make_area(karlskoga, "Bregården", box(14.5, 59.3, 14.53, 59.33))
    with pytest.raises(ValidationError) as refused:
        make_dialogue(coordinator, karlstad, [kommunen], area=karlskoga_area)
    assert "area" in refused.value.message_dict


def test_the_place_name_is_scrubbed(coordinator, karlstad, kommunen):
    dialogue = make_dialogue(
        coordinator, karlstad, [kommunen], place_name="Utanför 070-123 45 67 på torget"
    )
    assert "070" not in Dialogue.objects.get(pk=dialogue.pk).place_name


# --- themes × areas --------------------------------------------------------------------------


def test_duplicate_rows_are_merged_into_one_per_theme_and_area(
    coordinator, karlstad, kommunen, kronoparken, centrum
):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen], area=kronoparken)

    actions.set_mentions(
        dialogue,
        [
            MentionRow(Theme.VIOLENCE, kronoparken, 3),
            MentionRow(Theme.VIOLENCE, kronoparken, 2),
            MentionRow(Theme.VIOLENCE, centrum, 1),
            MentionRow(Theme.DRUGS_ALCOHOL, None, 4),
            MentionRow(Theme.DRUGS_ALCOHOL, None, 1),
        ],
        acting_user=coordinator,
    )

    rows = set(dialogue.mentions.values_list("theme", "area_id", "count"))
    assert rows == {
        ("violence", kronoparken.pk, 5),
        ("violence", centrum.pk, 1),
        ("drugs_alcohol", None, 5),
    }
    change = audit(dialogue).get(field="mentions")
    assert change.old == ""
    assert sorted(change.new.split("; ")) == sorted(
        ["drugs_alcohol/-=5", f"violence/{centrum.pk}=1", f"violence/{kronoparken.pk}=5"]
    )


def test_new_counts_replace_the_old_ones(coordinator, karlstad, kommunen, kronoparken):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen], area=kronoparken)
    actions.set_mentions(
        dialogue,
        [MentionRow(Theme.VIOLENCE, kronoparken, 3), MentionRow(Theme.THEFT, None, 1)],
        acting_user=coordinator,
    )

    actions.set_mentions(
        dialogue, [MentionRow(Theme.UNSAFE_PLACES, kronoparken, 7)], acting_user=coordinator
    )

    assert list(dialogue.mentions.values_list("theme", "area_id", "count")) == [
        ("unsafe_places", kronoparken.pk, 7)
    ]
    assert audit(dialogue).filter(field="mentions").count() == 2


def test_saving_the_same_counts_again_writes_nothing(coordinator, karlstad, kommunen):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    rows = [MentionRow(Theme.VIOLENCE, None, 3)]
    actions.set_mentions(dialogue, rows, acting_user=coordinator)
    first = DialogueMention.objects.get()

    actions.set_mentions(dialogue, rows, acting_user=coordinator)

    assert DialogueMention.objects.get().pk == first.pk
    assert audit(dialogue).filter(field="mentions").count() == 1


@pytest.mark.parametrize("count", [0, -1, 10_000])
def test_a_count_out_of_range_is_refused_and_the_old_counts_stay(
    coordinator, karlstad, kommunen, count
):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    actions.set_mentions(dialogue, [MentionRow(Theme.VIOLENCE, None, 3)], acting_user=coordinator)

    with pytest.raises(ValidationError) as refused:
        actions.set_mentions(
            dialogue,
            [MentionRow(Theme.THEFT, None, 2), MentionRow(Theme.VIOLENCE, None, count)],
            acting_user=coordinator,
        )

    assert "count" in refused.value.message_dict
    assert list(dialogue.mentions.values_list("theme", "count")) == [("violence", 3)]


def test_an_unknown_theme_or_another_municipalitys_area_is_refused(
    coordinator, karlstad, karlskoga, kommunen
):
    from trygg.places.tests.factories import box, make_area

    elsewhere = make_area(karlskoga, "Bregården", box(14.5, 59.3, 14.53, 59.33))
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    with pytest.raises(ValidationError) as refused:
        actions.set_mentions(
            dialogue,
            [MentionRow("weather", None, 1), MentionRow(Theme.THEFT, elsewhere, 1)],
            acting_user=coordinator,
        )
    assert {"theme", "area"} <= set(refused.value.message_dict)
    assert not DialogueMention.objects.exists()


def test_an_officer_of_another_organisation_may_not_change_the_counts(
    coordinator, housing_reporter, karlstad, kommunen
):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    with pytest.raises(PermissionDenied):
        actions.set_mentions(
            dialogue, [MentionRow(Theme.VIOLENCE, None, 1)], acting_user=housing_reporter
        )
    assert not DialogueMention.objects.exists()


# --- quotes ----------------------------------------------------------------------------------


def test_a_quote_is_scrubbed_and_its_words_stay_out_of_the_audit_log(
    police_officer, karlstad, polisen, kronoparken
):
    dialogue = make_dialogue(police_officer, karlstad, [polisen])

    quote = actions.add_quote(
        dialogue,
        theme=Theme.DRUGS_ALCOHOL,
        area=kronoparken,
        text="  Det langas vid skolan, ring 070-123 45 67 så får du veta  ",
        acting_user=police_officer,
    )

    stored = DialogueQuote.objects.get(pk=quote.pk)
    assert "070" not in stored.text
    assert stored.text.startswith("Det langas vid skolan")
    assert quote.was_scrubbed
    logged = " ".join(str(row.old) + str(row.new) for row in audit(stored))
    assert "langas" not in logged
    assert audit(stored).filter(field="text", new="uppgifter borttagna").exists()


def test_an_empty_or_too_long_quote_is_refused(coordinator, karlstad, kommunen):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    for text in ("   ", "x" * 281):
        with pytest.raises(ValidationError) as refused:
            actions.add_quote(dialogue, theme=Theme.OTHER, text=text, acting_user=coordinator)
        assert "text" in refused.value.message_dict
    assert not DialogueQuote.objects.exists()


def test_a_removed_quote_leaves_only_that_it_was_removed(coordinator, karlstad, kommunen):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    quote = actions.add_quote(
        dialogue,
        theme=Theme.YOUTH,
        text="Fritidsgården stänger för tidigt",
        acting_user=coordinator,
    )
    pk = quote.pk

    actions.remove_quote(quote, acting_user=coordinator)

    assert not DialogueQuote.objects.filter(pk=pk).exists()
    rows = AuditEntry.objects.filter(object_type="citizens.dialoguequote", object_id=str(pk))
    assert rows.filter(action=AuditEntry.Action.DELETE).exists()
    assert "Fritidsgården" not in " ".join(str(r.old) + str(r.new) for r in rows)


# --- changing and deleting -------------------------------------------------------------------


def test_an_update_is_audited_field_by_field(coordinator, karlstad, kommunen, polisen, centrum):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen], visitors=10)

    actions.update_dialogue(
        dialogue,
        acting_user=coordinator,
        held_on=dialogue.held_on,
        place_name="Stora torget",
        area=centrum,
        visitors=12,
        organisations=[kommunen, polisen],
    )

    changes = {row.field: (row.old, row.new) for row in audit(dialogue, AuditEntry.Action.UPDATE)}
    assert changes["visitors"] == (10, 12)
    assert changes["area"] == (None, centrum.pk)
    assert changes["organisations"] == (
        "karlstad-kommunledning",
        "karlstad-kommunledning,polisen-karlstad",
    )
    assert "held_on" not in changes


def test_an_update_into_the_future_changes_nothing(coordinator, karlstad, kommunen):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen], visitors=10)
    with pytest.raises(ValidationError):
        actions.update_dialogue(
            dialogue,
            acting_user=coordinator,
            held_on=TODAY + dt.timedelta(days=3),
            place_name="Stora torget",
            visitors=99,
            organisations=[kommunen],
        )
    stored = Dialogue.objects.get(pk=dialogue.pk)
    assert stored.visitors == 10
    assert stored.held_on == TODAY - dt.timedelta(days=2)


def test_deleting_takes_counts_and_quotes_with_it(coordinator, karlstad, kommunen):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    actions.set_mentions(dialogue, [MentionRow(Theme.VIOLENCE, None, 2)], acting_user=coordinator)
    actions.add_quote(
        dialogue, theme=Theme.VIOLENCE, text="Bråk varje fredag", acting_user=coordinator
    )
    pk = dialogue.pk

    actions.delete_dialogue(dialogue, acting_user=coordinator)

    assert not Dialogue.objects.filter(pk=pk).exists()
    assert not DialogueMention.objects.exists()
    assert not DialogueQuote.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="citizens.dialogue", object_id=str(pk), action=AuditEntry.Action.DELETE
    ).exists()


def test_a_reporter_of_another_organisation_may_not_delete(
    coordinator, housing_reporter, karlstad, kommunen
):
    dialogue = make_dialogue(coordinator, karlstad, [kommunen])
    with pytest.raises(PermissionDenied):
        actions.delete_dialogue(dialogue, acting_user=housing_reporter)
    assert Dialogue.objects.filter(pk=dialogue.pk).exists()
