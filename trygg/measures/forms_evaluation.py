"""The evaluation's settings: control area, radius around the place and buffer ring."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.measures.models import Measure
from trygg.places.models import Area

MAX_DISTANCE_M = 5000


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class EvaluationSettingsForm(forms.Form):
    control_area = AreaChoiceField(
        label=_("Kontrollområde"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Kommunens stadsdelar (standard)"),
        help_text=_(
            "Ett område där åtgärden inte gjordes men där utvecklingen annars borde vara "
            "densamma. Målområdet och buffertringen räknas aldrig in i det."
        ),
    )
    target_radius_m = forms.IntegerField(
        label=_("Radie runt platsen (meter)"),
        min_value=10,
        max_value=MAX_DISTANCE_M,
        help_text=_("Händelser så här nära platsen räknas till målområdet."),
    )
    buffer_m = forms.IntegerField(
        label=_("Buffertringens bredd (meter)"),
        min_value=0,
        max_value=MAX_DISTANCE_M,
        help_text=_(
            "Ringen närmast utanför målområdet, där händelser som flyttat undan skulle synas. "
            "0 betyder ingen buffertring."
        ),
    )

    def __init__(self, *args, measure: Measure, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "control_area": measure.control_area_id,
                "target_radius_m": measure.target_radius_m,
                "buffer_m": measure.buffer_m,
            },
        )
        super().__init__(*args, **kwargs)
        # Current areas of the municipality, and the one chosen before even if since replaced;
        # never the measure's own area, which is the target.
        areas = Area.objects.filter(municipality_id=measure.municipality_id).filter(
            Q(valid_to__isnull=True) | Q(pk=measure.control_area_id or 0)
        )
        if measure.area_id:
            areas = areas.exclude(pk=measure.area_id)
        cast(forms.ModelChoiceField, self.fields["control_area"]).queryset = areas.defer(
            "geometry"
        ).order_by("kind", "name")
        if measure.place_id is None:
            # An area's target is its polygon: there is no radius to choose.
            del self.fields["target_radius_m"]

    def settings(self, measure: Measure) -> dict:
        """Keyword arguments for `set_evaluation_settings`."""
        data = self.cleaned_data
        return {
            "control_area": data["control_area"],
            "target_radius_m": data.get("target_radius_m", measure.target_radius_m),
            "buffer_m": data["buffer_m"],
        }
