"""The ordningsvakter page's forms: a county decision on a guard area, built from the
municipality's areas, and the export's period. They parse; the action checks the whole."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.places.models import Area, Municipality
from trygg.presence.actions.guards import GuardAreaInput
from trygg.presence.forms import _date
from trygg.presence.models import GuardArea


class GuardAreaForm(forms.Form):
    name = forms.CharField(label=_("Namn"), required=False, max_length=120)
    decision_reference = forms.CharField(
        label=_("Länsstyrelsens beslut"),
        required=False,
        max_length=200,
        help_text=_("Till exempel ”Länsstyrelsen Värmland dnr 2024-1234”."),
    )
    decided_on = _date(_("Beslutsdatum"), required_message=_("Ange när beslutet fattades."))
    valid_from = _date(_("Gäller från"), required_message=_("Ange från vilken dag det gäller."))
    valid_to = _date(_("Gäller till och med"), _("Tomt: tills vidare."))
    areas = forms.ModelMultipleChoiceField(
        label=_("Byggs av områdena"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj de av kommunens områden som beslutet omfattar."),
    )

    def __init__(self, municipality: Municipality, *args, guard_area=None, **kwargs):
        if guard_area is not None and "data" not in kwargs and not args:
            kwargs["initial"] = {
                "name": guard_area.name,
                "decision_reference": guard_area.decision_reference,
                "decided_on": guard_area.decided_on,
                "valid_from": guard_area.valid_from,
                "valid_to": guard_area.valid_to,
                "areas": guard_area.area_ids,
            }
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(municipality=municipality).current()
        if guard_area is not None:
            # An area the decision was built from that has since got new borders stays a choice.
            areas = areas | Area.objects.filter(pk__in=guard_area.area_ids)
        self.fields["areas"].queryset = areas.defer("geometry")  # type: ignore[attr-defined]

    def to_input(self) -> GuardAreaInput:
        data = self.cleaned_data
        return GuardAreaInput(
            name=data["name"],
            decision_reference=data["decision_reference"],
            decided_on=data["decided_on"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            area_ids=[area.pk for area in data["areas"]],
        )


class EndGuardAreaForm(forms.Form):
    """The last day a decision applies (the county revoked it, or a new one replaces it)."""

    valid_to = _date(_("Sista dag det gäller"), required_message=_("Ange den sista dagen."))


class ExportForm(forms.Form):
    FORMATS = (("csv", _("CSV (kalkylark)")), ("html", _("Utskrift")), ("pdf", _("PDF")))

    start = _date(_("Från och med"), required_message=_("Ange periodens första dag."))
    end = _date(_("Till och med"), required_message=_("Ange periodens sista dag."))
    guard_area = forms.ModelChoiceField(
        label=_("Ordningsvaktsområde"),
        queryset=GuardArea.objects.none(),
        required=False,
        empty_label=_("Hela kommunen"),
    )
    format = forms.ChoiceField(label=_("Form"), choices=FORMATS, initial="csv")

    def __init__(self, municipality: Municipality, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = GuardArea.objects.filter(municipality=municipality).defer("geometry")
        self.fields["guard_area"].queryset = areas  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Periodens sista dag kan inte vara före den första."))
        return data
