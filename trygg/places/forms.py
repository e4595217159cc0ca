"""A form field for "where": latitude, longitude and optionally a named place near them.

It cleans to a `places.picker.Location` (municipality, area, place), so a form in any app gets
the same checks and the same Swedish messages as every other path that takes a position.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trygg.places.models import Municipality
from trygg.places.picker import Location, locate
from trygg.places.queries import NEAR_RADIUS_M


class CoordinateField(forms.FloatField):
    """A number typed with a decimal comma (59,38) or point (59.38), or a minus sign."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("\u2212", "-")
        return super().to_python(value)


class PositionWidget(forms.MultiWidget):
    """Inputs named `<name>_lat`, `<name>_lon` and a hidden `<name>_place` (the map fills it)."""

    def __init__(self, attrs=None):
        number = {"inputmode": "decimal", "autocomplete": "off"}
        super().__init__(
            {
                "lat": forms.TextInput(attrs=number),
                "lon": forms.TextInput(attrs=number),
                "place": forms.HiddenInput(),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, Location):
            return [value.lat, value.lon, value.place.pk if value.place else None]
        return [None, None, None]


class PositionField(forms.MultiValueField):
    """Latitude, longitude and an optional place id, cleaned to a `Location`.

    `municipality` limits positions to one municipality (a walk in Karlstad happens in
    Karlstad); `radius_m` is how far a chosen or nearest named place may be."""

    widget = PositionWidget
    default_error_messages = {
        "required": _(
            "Ange var det hände: klicka på kartan, använd din position eller skriv in latitud "
            "och longitud."
        ),
        "incomplete": _("Ange både latitud och longitud."),
    }

    def __init__(
        self,
        *,
        municipality: Municipality | None = None,
        radius_m: float = NEAR_RADIUS_M,
        **kwargs,
    ):
        self.municipality = municipality
        self.radius_m = radius_m
        fields = (
            CoordinateField(
                min_value=-90,
                max_value=90,
                error_messages={"invalid": _("Skriv latitud som ett tal, till exempel 59,3793.")},
            ),
            CoordinateField(
                min_value=-180,
                max_value=180,
                error_messages={"invalid": _("Skriv longitud som ett tal, till exempel 13,5036.")},
            ),
            forms.IntegerField(
                required=False, error_messages={"invalid": _("Välj en plats i listan.")}
            ),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)
        # Latitude and longitude are needed whenever anything is given; the place is not.
        for field in fields[:2]:
            field.required = True

    def compress(self, data_list) -> Location | None:
        if not data_list:
            return None
        lat, lon, place_id = (list(data_list) + [None, None, None])[:3]
        if lat is None or lon is None:
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        return locate(
            lat, lon, municipality=self.municipality, place_id=place_id, radius_m=self.radius_m
        )
