"""Responsibility rules for tests (measures themselves are made through the actions)."""

from __future__ import annotations

from trygg.measures.models import ResponsibilityRule


def make_rule(organisation, **conditions) -> ResponsibilityRule:
    """`organisation` is responsible, in its own municipality, wherever `conditions` hold."""
    return ResponsibilityRule.objects.create(
        municipality=organisation.municipality, organisation=organisation, **conditions
    )
