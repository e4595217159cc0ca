"""The one visibility rule for records an organisation owns (organisations/ownership.py),
checked with the personas on the query and on a single loaded object alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test.utils import isolate_apps

from trygg.events.models import Event
from trygg.organisations.ownership import OwnedWithVisibility, Visibility, VisibleQuerySet


@pytest.fixture
def records(make_event, kommunen, polisen, bostadsbolaget, karlskoga_kommun, karlstad):
    """One record per rule: public, partner-wide in Karlstad, police internal, partner-wide in
    Karlskoga, and Karlskoga's own record made in Karlstad."""
    return {
        "public": make_event(kommunen, Visibility.PUBLIC),
        "karlstad_partners": make_event(bostadsbolaget, Visibility.PARTNERS),
        "police_internal": make_event(polisen, Visibility.ORGANISATION),
        "karlskoga_partners": make_event(karlskoga_kommun, Visibility.PARTNERS),
        "karlskoga_own_in_karlstad": make_event(
            karlskoga_kommun, Visibility.ORGANISATION, municipality=karlstad
        ),
    }


EXPECTED = {
    "resident": {"public"},
    "coordinator": {"public", "karlstad_partners"},
    "police_officer": {"public", "karlstad_partners", "police_internal"},
    "housing_reporter": {"public", "karlstad_partners"},
    "other_municipality_user": {"public", "karlskoga_partners", "karlskoga_own_in_karlstad"},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_sees_exactly_what_the_visibility_rule_allows(request, records, persona):
    user = AnonymousUser() if persona == "resident" else request.getfixturevalue(persona)
    by_pk = {record.pk: name for name, record in records.items()}
    seen = {by_pk[pk] for pk in Event.objects.visible_to(user).values_list("pk", flat=True)}
    assert seen == EXPECTED[persona]
    # One loaded object answers the same question the same way (detail pages, exports).
    assert {name for name, record in records.items() if record.is_visible_to(user)} == seen


def test_police_internal_records_never_reach_a_partner_in_the_same_municipality(
    records, coordinator, housing_reporter
):
    internal = records["police_internal"]
    for user in (coordinator, housing_reporter):
        assert not Event.objects.visible_to(user).filter(pk=internal.pk).exists()
        assert not internal.is_visible_to(user)


def test_a_superuser_sees_every_record(records, django_user_model):
    admin = django_user_model.objects.create_superuser("drift", password="test-lösenord-1")
    assert Event.objects.visible_to(admin).count() == len(records)


def test_public_lists_only_public_records(records):
    assert list(Event.objects.public()) == [records["public"]]


@isolate_apps("trygg.organisations")
def test_a_new_model_gets_owner_municipality_visibility_and_the_rule_from_the_mixin(
    housing_reporter, bostadsbolaget, karlstad, karlskoga
):
    class Finding(OwnedWithVisibility):  # noqa: DJ008 (a model for this test only)
        class Meta:
            app_label = "organisations"

    assert {f.name for f in Finding._meta.fields} >= {"organisation", "municipality", "visibility"}
    assert isinstance(Finding.objects.all(), VisibleQuerySet)
    assert Finding._meta.get_field("visibility").default == Visibility.PARTNERS
    # Isolated from the app registry, the model knows its relations by key only.
    partners_here = Finding(organisation_id=0, municipality_id=karlstad.pk)
    partners_there = Finding(organisation_id=0, municipality_id=karlskoga.pk)
    own = Finding(
        organisation_id=bostadsbolaget.pk,
        municipality_id=karlskoga.pk,
        visibility=Visibility.ORGANISATION,
    )
    assert partners_here.is_visible_to(housing_reporter)
    assert not partners_there.is_visible_to(housing_reporter)
    assert own.is_visible_to(housing_reporter)
