"""Who may see a municipality's shared work: one rule for situation and measure pages."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from trygg.organisations.access import can_view


def test_any_member_of_an_organisation_there_may_view_and_nobody_else(
    karlstad, karlskoga, analyst, housing_reporter, other_municipality_user
):
    assert can_view(analyst, karlstad.pk)
    assert can_view(housing_reporter, karlstad.pk)
    assert not can_view(other_municipality_user, karlstad.pk)
    assert can_view(other_municipality_user, karlskoga.pk)
    assert not can_view(AnonymousUser(), karlstad.pk)


def test_a_superuser_may_view_every_municipality(karlstad, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="test-lösenord-1")
    assert can_view(admin, karlstad.pk)
