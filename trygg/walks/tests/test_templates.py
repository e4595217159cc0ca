"""A municipality's own checklists: copied from a national seed, then edited; the seed stays
as it was and an item a finding used is never removed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.walks.actions import templates
from trygg.walks.actions.templates import ItemInput
from trygg.walks.models import ChecklistTemplate
from trygg.walks.tests.factories import capture, make_walk, national_template

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def labels(template):
    return [(item.order, item.label) for item in template.items.all()]


def seed_state(template):
    return (
        template.name,
        template.is_active,
        [(i.code, i.label, i.order) for i in template.items.all()],
    )


@pytest.fixture
def seed():
    return national_template("boverket-bra")


@pytest.fixture
def copy(seed, karlstad, coordinator):
    return templates.copy_template(seed, karlstad, acting_user=coordinator)


def items_of(template) -> list[ItemInput]:
    return [ItemInput(label=i.label, label_en=i.label_en, pk=i.pk) for i in template.items.all()]


def test_a_coordinator_copies_a_national_checklist_to_the_municipality(copy, seed, karlstad):
    assert (copy.municipality, copy.copied_from, copy.kind) == (karlstad, seed, seed.kind)
    assert labels(copy) == labels(seed)
    assert AuditEntry.objects.filter(object_id=str(copy.pk), action="create").exists()


def test_copying_twice_gives_two_codes(copy, seed, karlstad, coordinator):
    again = templates.copy_template(seed, karlstad, acting_user=coordinator)
    assert again.code != copy.code


def test_the_copy_is_edited_and_the_national_seed_is_unchanged(copy, seed, coordinator):
    before = seed_state(seed)
    items = items_of(copy)
    renamed = ItemInput(
        label="Belysning längs gångvägen", label_en="Lighting on the path", pk=items[0].pk
    )
    templates.edit_template(
        copy,
        acting_user=coordinator,
        name="Karlstads vandring",
        is_active=True,
        # the second item first, the first renamed, the last removed, one new at the end
        items=[
            items[1],
            renamed,
            *items[2:-1],
            ItemInput(label="Hundrastgård", label_en="Dog park"),
        ],
    )

    copy.refresh_from_db()
    assert copy.name == "Karlstads vandring"
    got = labels(copy)
    assert got[0][1] == items[1].label and got[1][1] == "Belysning längs gångvägen"
    assert got[-1] == (len(items), "Hundrastgård")
    assert items[-1].label not in [label for _order, label in got]
    assert copy.items.get(label="Hundrastgård").code == "hundrastgard"
    seed.refresh_from_db()
    assert seed_state(seed) == before
    assert AuditEntry.objects.filter(object_id=str(copy.pk), field="items").exists()


def test_a_national_seed_cannot_be_edited(seed, coordinator, client):
    with pytest.raises(PermissionDenied):
        templates.edit_template(
            seed, acting_user=coordinator, name="Min", is_active=True, items=items_of(seed)
        )
    client.force_login(coordinator)
    page = client.get(reverse("walks:template", args=[seed.pk]))
    assert page.status_code == 200 and not page.context["editable"]
    client.post(reverse("walks:template", args=[seed.pk]), {"name": "Min"})
    seed.refresh_from_db()
    assert seed.name == "Trygghetsvandring (Boverket/Brå)"


def test_an_item_a_finding_used_cannot_be_removed_but_can_be_renamed(
    kommunen, centrum, coordinator, karlstad
):
    copy = templates.copy_template(
        national_template("safetipin"), karlstad, acting_user=coordinator
    )
    walk = make_walk(kommunen)
    walk.template = copy
    walk.save()
    capture(walk, coordinator)  # scores "lighting"
    items = items_of(copy)
    lighting = copy.items.get(code="lighting")
    without_lighting = [i for i in items if i.pk != lighting.pk]

    with pytest.raises(ValidationError) as refused:
        templates.edit_template(
            copy, acting_user=coordinator, name=copy.name, is_active=True, items=without_lighting
        )
    assert "har använts i iakttagelser" in refused.value.message_dict["items"][0]
    assert copy.items.count() == len(items)

    renamed = [ItemInput(label="Ljus", pk=i.pk) if i.pk == lighting.pk else i for i in items]
    templates.edit_template(
        copy, acting_user=coordinator, name=copy.name, is_active=True, items=renamed
    )
    assert copy.items.get(pk=lighting.pk).label == "Ljus"


def test_a_deactivated_checklist_is_no_longer_offered_for_new_walks(
    copy, coordinator, client, karlstad
):
    templates.edit_template(
        copy, acting_user=coordinator, name=copy.name, is_active=False, items=items_of(copy)
    )
    client.force_login(coordinator)
    offered = client.get(reverse("walks:new")).context["form"].fields["template"].queryset
    assert copy not in offered and national_template() in offered


def test_other_municipalities_and_partners_cannot_touch_the_copy(
    copy, other_municipality_user, police_officer, client
):
    for user in (other_municipality_user, police_officer):
        with pytest.raises(PermissionDenied):
            templates.edit_template(
                copy, acting_user=user, name="Nej", is_active=True, items=items_of(copy)
            )
        client.force_login(user)
        assert client.get(reverse("walks:template", args=[copy.pk])).status_code == 403
    # Karlskoga's coordinator sees Karlskoga's list, without Karlstad's copy; the police
    # officer plans no walks and has no list.
    client.force_login(other_municipality_user)
    assert copy not in client.get(reverse("walks:templates")).context["own"]
    client.force_login(police_officer)
    assert client.get(reverse("walks:templates")).status_code == 403
    with pytest.raises(PermissionDenied):
        templates.copy_template(
            copy,
            other_municipality_user.memberships.get().organisation.municipality,
            acting_user=other_municipality_user,
        )


def test_the_pages_copy_and_edit_a_checklist(client, coordinator, seed, karlstad):
    client.force_login(coordinator)
    listing = client.get(reverse("walks:templates"))
    assert seed.name in listing.content.decode()

    response = client.post(reverse("walks:template_copy", args=[seed.pk]), {"kommun": karlstad.pk})
    copy = ChecklistTemplate.objects.get(municipality=karlstad)
    assert response["Location"] == reverse("walks:template", args=[copy.pk])

    form = client.get(response["Location"]).context["formset"]
    data = {
        "name": "Vår lista",
        "is_active": "on",
        "punkt-TOTAL_FORMS": str(len(form.forms)),
        "punkt-INITIAL_FORMS": str(len(form.initial_forms)),
        "punkt-MIN_NUM_FORMS": "0",
        "punkt-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(form.forms):
        initial = row.initial
        data[f"punkt-{index}-id"] = initial.get("id", "")
        data[f"punkt-{index}-label"] = initial.get("label", "")
        data[f"punkt-{index}-ORDER"] = initial.get("ORDER", "")
    data["punkt-0-label"] = ""  # an emptied item is refused, not dropped
    refused = client.post(response["Location"], data)
    assert refused.status_code == 400 and "Skriv punkten." in refused.content.decode()

    data["punkt-0-DELETE"] = "on"
    assert client.post(response["Location"], data).status_code == 302
    copy.refresh_from_db()
    assert copy.name == "Vår lista" and copy.items.count() == seed.items.count() - 1
