"""Who reads presence rows: the staff of every organisation in the municipality, nobody else.
The calendar, the premises and their inspections are shared across organisations there
(DOMAIN §5: the partners coordinate who is out where), so the rule is one for all of them."""

from __future__ import annotations

from django.db import models


class SharedInMunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user):
        from trygg.organisations.access import access_for

        access = access_for(user)
        if access.is_superuser:
            return self
        return self.filter(municipality_id__in=access.municipality_ids)
