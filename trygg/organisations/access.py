"""What a user may see and do, derived from their memberships. The one place access is decided."""

from __future__ import annotations

from dataclasses import dataclass, field

from trygg.organisations.models import Membership, Organisation

WRITE_ROLES = {Membership.Role.REPORTER, Membership.Role.COORDINATOR, Membership.Role.ADMIN}


@dataclass(frozen=True)
class Access:
    is_authenticated: bool = False
    is_superuser: bool = False
    organisation_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()
    # organisation id -> role
    roles: dict[int, str] = field(default_factory=dict)
    # organisation id -> its municipality id
    municipality_of: dict[int, int] = field(default_factory=dict)
    # Counties (länskod) the user coordinates regionally: aggregates only (decision 0035).
    county_codes: frozenset[str] = frozenset()

    def can_view_county(self, county_code: str) -> bool:
        """The county's aggregates: members of a county organisation there, and superusers."""
        return self.is_superuser or county_code in self.county_codes

    def can_report_for(self, organisation: Organisation) -> bool:
        return self.is_superuser or self.roles.get(organisation.pk) in WRITE_ROLES

    def reporting_organisation_ids(self) -> list[int]:
        return [org for org, role in self.roles.items() if role in WRITE_ROLES]

    def can_view(self, municipality_id: int | None) -> bool:
        """The municipality's shared work (pictures, packs, measures, plans, annual reports):
        anyone with a membership of an organisation there, whatever the role."""
        return self.is_superuser or municipality_id in self.municipality_ids

    def can_coordinate(self, municipality_id: int | None) -> bool:
        """A coordinator or admin of an organisation in that very municipality."""
        return self.is_superuser or municipality_id in self.coordinated_municipality_ids

    def has_role_in(self, municipality_id: int | None, roles) -> bool:
        """One of `roles` in an organisation of that very municipality (superusers: always)."""
        return self.is_superuser or any(
            role in roles and self.municipality_of.get(org) == municipality_id
            for org, role in self.roles.items()
        )

    @property
    def coordinated_municipality_ids(self) -> frozenset[int]:
        return frozenset(
            self.municipality_of[org]
            for org, role in self.roles.items()
            if role in {Membership.Role.COORDINATOR, Membership.Role.ADMIN}
        )


ANONYMOUS = Access()


def can_view(user, municipality_id: int | None) -> bool:
    """See `Access.can_view`: one rule for the situation pages and the measure pages."""
    return access_for(user).can_view(municipality_id)


def access_for(user) -> Access:
    """Memberships read once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_trygg_access", None)
    if cached is not None:
        return cached
    # A county organisation's membership gives the county's aggregates and nothing else: it
    # is no membership of the municipality the organisation sits in (decision 0035).
    county = Organisation.Kind.COUNTY
    memberships = Membership.objects.filter(user=user)
    rows = list(
        memberships.exclude(organisation__kind=county).values_list(
            "organisation_id", "organisation__municipality_id", "role"
        )
    )
    counties = memberships.filter(organisation__kind=county).values_list(
        "organisation__municipality__county_code", flat=True
    )
    access = Access(
        is_authenticated=True,
        is_superuser=bool(user.is_superuser),
        organisation_ids=frozenset(org for org, _, _ in rows),
        municipality_ids=frozenset(mun for _, mun, _ in rows),
        roles={org: role for org, _, role in rows},
        municipality_of={org: mun for org, mun, _ in rows},
        county_codes=frozenset(counties),
    )
    user._trygg_access = access
    return access
