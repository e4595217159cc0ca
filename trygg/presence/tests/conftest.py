"""The presence tests' world, on top of the personas in trygg/conftest.py: a night walkers'
association with a volunteer who plans its shifts, and groups of the municipality, the
association, the police and Karlskoga."""

from __future__ import annotations

import pytest

from trygg.organisations.models import Membership, Organisation
from trygg.organisations.tests.factories import make_organisation, make_person
from trygg.places.models import Place
from trygg.places.tests.factories import box, make_area, make_place
from trygg.presence.models import GroupKind
from trygg.presence.tests.factories import make_group, make_premise


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas' passwords cost half a second each; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def nattvandrarna(karlstad) -> Organisation:
    return make_organisation(
        karlstad, "nattvandrarna-karlstad", "Nattvandrarna Karlstad", Organisation.Kind.ASSOCIATION
    )


@pytest.fixture
def volunteer(nattvandrarna):
    """The association's contact, who plans its evenings (a reporter in its organisation)."""
    return make_person("nattvandrare", nattvandrarna, Membership.Role.REPORTER)


@pytest.fixture
def ungdomar(kommunen):
    return make_group(kommunen, "Ungdomar för trygghet", GroupKind.YOUTH)


@pytest.fixture
def walkers(nattvandrarna):
    return make_group(nattvandrarna, "Nattvandrarna", GroupKind.NIGHT_WALKERS)


@pytest.fixture
def foot_patrol(polisen):
    return make_group(polisen, "Polisens fotpatrull", GroupKind.POLICE_PATROL)


# The municipality's own ordningsvakter: their department, a guard and their group.
@pytest.fixture
def vakterna(karlstad) -> Organisation:
    return make_organisation(
        karlstad,
        "karlstad-ordningsvakter",
        "Karlstads kommun, ordningsvakterna",
        Organisation.Kind.MUNICIPAL_DEPARTMENT,
    )


@pytest.fixture
def guard(vakterna):
    return make_person("ordningsvakt", vakterna, Membership.Role.REPORTER)


@pytest.fixture
def guards(vakterna):
    return make_group(vakterna, "Kommunens ordningsvakter", GroupKind.ORDER_GUARDS)


@pytest.fixture
def karlskoga_centrum(karlskoga):
    return make_area(karlskoga, "Karlskoga centrum", box(14.51, 59.32, 14.54, 59.34))


@pytest.fixture
def karlskoga_group(karlskoga_kommun):
    return make_group(karlskoga_kommun, "Kommunväktarna", GroupKind.MUNICIPAL_GUARDS)


@pytest.fixture
def krogstraket(karlstad, centrum):
    """A street in Centrum where the premises are (inside the centrum box)."""
    return make_place(
        karlstad, "Krogstråket", lat=59.3812, lon=13.5005, kind=Place.Kind.STREET, area=centrum
    )


@pytest.fixture
def kajen(krogstraket):
    """A licensed premise on the street, its licence in force since 2020 until further notice."""
    return make_premise(krogstraket)
