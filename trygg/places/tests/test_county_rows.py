"""Each county's own row in the municipality table (decision 0037, Beslut 3 step 4): there after
migrate, the key of county-level police events, and never offered as a municipality."""

from __future__ import annotations

import pytest
from django import forms

from trygg.places.lookups import MUNICIPALITY
from trygg.places.models import Municipality
from trygg.places.reference import (
    county_code_for_name,
    county_level_code,
    county_level_name,
    county_names,
    load_county_rows,
)

pytestmark = pytest.mark.django_db


def test_every_county_has_its_own_row_after_migrate():
    rows = Municipality.with_counties.filter(county_level=True)
    assert sorted(rows.values_list("code", flat=True)) == sorted(
        f"00{code}" for code in county_names()
    )
    varmland = rows.get(code="0017")
    assert (varmland.name, varmland.county_code, varmland.geometry) == (
        "Värmlands län (länsnivå)",
        "17",
        None,
    )
    assert rows.get(code="0003").name == "Uppsala län (länsnivå)"
    assert rows.get(code="0020").name == "Dalarnas län (länsnivå)"


def test_a_county_rows_name_reads_back_as_its_county_as_the_police_feed_writes_it():
    for code in county_names():
        name = county_level_name(code).removesuffix(" (länsnivå)")
        assert county_code_for_name(name) == code, name


def test_no_real_municipality_code_starts_with_00():
    codes = Municipality.objects.values_list("code", flat=True)
    assert len(codes) == 290
    assert not [code for code in codes if code.startswith("00")]
    assert county_level_code("17") == "0017"


def test_the_default_manager_never_offers_a_county_row_as_a_municipality():
    assert Municipality.objects.count() == 290
    assert Municipality.with_counties.count() == 290 + len(county_names())
    assert not Municipality.objects.filter(code="0017").exists()
    assert not Municipality.objects.filter(county_code="17", geometry__isnull=True).exists()
    # Looking a municipality up by its code (API, import files) does not find it either.
    assert MUNICIPALITY.find({"0017", "1780"}).keys() == {"1780"}


def test_a_form_field_over_the_municipalities_refuses_a_county_row():
    county_row = Municipality.with_counties.get(code="0017")
    field = forms.ModelChoiceField(queryset=Municipality._default_manager.all())
    with pytest.raises(forms.ValidationError):
        field.clean(county_row.pk)
    karlstad = Municipality.objects.get(code="1780")
    assert field.clean(karlstad.pk) == karlstad


def test_loading_the_county_rows_again_changes_nothing():
    before = list(Municipality.with_counties.order_by("pk").values_list("pk", "code", "name"))
    assert load_county_rows(Municipality) == 21
    after = list(Municipality.with_counties.order_by("pk").values_list("pk", "code", "name"))
    assert after == before
