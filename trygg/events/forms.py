"""Forms for the event pages: the list and map filters, and the reporting form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.events.models import Category, Source, Status, Visibility
from trygg.events.queries import (
    EventFilters,
    category_tree,
    current_areas,
    default_period,
    user_municipality_ids,
)
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.places.models import Municipality, Place
from trygg.places.queries import nearest_places

# Not incidents anyone reports by hand: the police feed's notices and shift summaries.
NOT_REPORTABLE = {"polis.meddelande", "polis.sammanfattning"}

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class EventFilterForm(forms.Form):
    """The filters of the list and the map, read from the query string so links can be shared."""

    fran = forms.DateField(
        label=_("Från"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kommun = forms.TypedChoiceField(label=_("Kommun"), required=False, coerce=int, empty_value=None)
    omrade = forms.TypedChoiceField(label=_("Område"), required=False, coerce=int, empty_value=None)
    kategori = forms.TypedChoiceField(
        label=_("Kategori"), required=False, coerce=int, empty_value=None
    )
    kalla = forms.ChoiceField(label=_("Källa"), required=False)

    def __init__(self, data, *, user, chosen=None):
        start, end = default_period()
        own = user_municipality_ids(user)
        data = data.copy()
        # The period in force is always shown in the fields, also when the link had none.
        for name, default in (("fran", start), ("till", end)):
            if not data.get(name):
                data[name] = default.isoformat()
        # Someone who works in several municipalities sees the one chosen in the header, as
        # the other pages open on it, until the link names one or "Alla kommuner" (kommun=).
        if "kommun" not in data and chosen in own and len(own) > 1:
            data["kommun"] = str(chosen)
        super().__init__(data)
        self.default_start, self.default_end = start, end
        self._municipalities = Municipality.objects.filter(pk__in=own).defer("geometry").in_bulk()
        # The user's own municipalities; without a choice, every event the user may see.
        self.fields["kommun"].choices = [("", _("Alla kommuner"))] + [
            (pk, municipality.name)
            for pk, municipality in sorted(
                self._municipalities.items(), key=lambda item: item[1].name
            )
        ]
        self._areas = {area.pk: area for area in current_areas(own)}
        several = len({area.municipality_id for area in self._areas.values()}) > 1
        self.fields["omrade"].choices = [("", _("Alla områden"))] + [
            (pk, f"{area.name} ({area.municipality.name})" if several else area.name)
            for pk, area in self._areas.items()
        ]
        tree = category_tree()
        self._categories = {category.pk: category for category, _depth in tree}
        self.fields["kategori"].choices = [("", _("Alla kategorier"))] + [
            (category.pk, "\u2003" * depth + category.name) for category, depth in tree
        ]
        self.fields["kalla"].choices = [("", _("Alla källor"))] + list(Source.choices)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and end < start:
            self.add_error("till", _("Slutdatumet är före startdatumet."))
        municipality, area = cleaned.get("kommun"), self._areas.get(cleaned.get("omrade"))
        if municipality and area is not None and area.municipality_id != municipality:
            self.add_error("omrade", _("Området ligger inte i den valda kommunen."))
        return cleaned

    def filters(self) -> EventFilters:
        """The filters to apply: the valid fields, and the defaults where a field was wrong."""
        self.is_valid()
        data = self.cleaned_data
        return EventFilters(
            start_date=data.get("fran") or self.default_start,
            end_date=data.get("till") or self.default_end,
            area=self._areas.get(data.get("omrade")),
            category=self._categories.get(data.get("kategori")),
            source=data.get("kalla") or None,
            municipality=self._municipalities.get(data.get("kommun")),
        )


class DecimalField(forms.FloatField):
    """A number typed with a decimal comma (59,38) or point (59.38)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("\u2212", "-")
        return super().to_python(value)


def category_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active leaf categories grouped under their parent, the EST checklist first."""
    leaves = (
        Category.objects.active().leaves().exclude(code__in=NOT_REPORTABLE).select_related("parent")
    )
    groups: dict[int, tuple[tuple, str, list]] = {}
    for leaf in leaves:
        head = leaf.parent or leaf  # a top-level leaf (arrangemang) is its own group
        key = (not head.is_checklist, head.sort_order, head.code)
        groups.setdefault(head.pk, (key, head.name, []))[2].append(
            (leaf.sort_order, leaf.code, leaf.pk, leaf.name)
        )
    return [
        (label, [(pk, name) for _s, _c, pk, name in sorted(options)])
        for _key, label, options in sorted(groups.values(), key=lambda group: group[0])
    ]


def _float_or_none(value) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


class ReportForm(forms.Form):
    """Report one event at a place: what, where, when, and who may see it. Never who did it."""

    organisation = forms.ModelChoiceField(
        label=_("Rapporterar för"), queryset=Organisation.objects.none(), empty_label=None
    )
    category = forms.TypedChoiceField(
        label=_("Vad har hänt?"),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Välj vad som har hänt."),
            "invalid_choice": _("Välj en kategori i listan."),
        },
    )
    lat = DecimalField(
        label=_("Latitud"),
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _(
                "Ange var det hände: klicka på kartan, använd din position eller skriv in "
                "latitud och longitud."
            ),
            "invalid": _("Skriv latitud som ett tal, till exempel 59,3793."),
        },
    )
    lon = DecimalField(
        label=_("Longitud"),
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Ange longitud, till exempel 13,5036."),
            "invalid": _("Skriv longitud som ett tal, till exempel 13,5036."),
        },
    )
    place = forms.TypedChoiceField(
        label=_("Plats (valfritt)"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Välj en av platserna nära positionen.")},
    )
    occurred_from = forms.DateTimeField(
        label=_("När hände det?"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={
            "required": _("Ange när det hände."),
            "invalid": _("Ange datum och tid, till exempel 2025-05-14 21:30."),
        },
    )
    description = forms.CharField(
        label=_("Beskrivning (valfritt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Beskriv platsen och vad som hänt — aldrig vem. Personuppgifter tas bort automatiskt."
        ),
    )
    photo = forms.ImageField(
        label=_("Foto (valfritt)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Fotografera platsen, inte personer. Bildens metadata tas bort."),
        error_messages={"invalid_image": _("Filen är inte en bild som kan läsas.")},
    )
    visibility = forms.ChoiceField(
        label=_("Vem får se händelsen?"),
        widget=forms.RadioSelect,
        initial=Visibility.PARTNERS,
        choices=[
            (Visibility.PARTNERS, _("Samverkanspartner i kommunen (standard)")),
            (Visibility.ORGANISATION, _("Bara min organisation")),
            (Visibility.PUBLIC, _("Offentlig")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        access = access_for(user)
        organisations = Organisation.objects.filter(pk__in=access.reporting_organisation_ids())
        field = self.fields["organisation"]
        field.queryset = organisations
        if len(access.reporting_organisation_ids()) == 1:
            field.widget = forms.HiddenInput()
            self.only_organisation = organisations.first()
            field.initial = self.only_organisation
        else:
            self.only_organisation = None
        self.fields["category"].choices = [("", _("Välj kategori"))] + category_choices()
        self.fields["occurred_from"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.municipality_ids = sorted(access.municipality_ids)
        self.near_places = self._near_places()
        self.fields["place"].choices = [("", _("Ingen särskild plats"))] + [
            (place.pk, place_label(place)) for place in self.near_places
        ]

    def _near_places(self) -> list[Place]:
        """The places offered: those near the position sent, so a choice must be near it."""
        if not self.is_bound:
            return []
        lat, lon = _float_or_none(self.data.get("lat")), _float_or_none(self.data.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return []
        return nearest_places(lat, lon, self.municipality_ids)

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        return Category.objects.filter(pk=pk).first() if pk else None

    def clean_place(self):
        pk = self.cleaned_data.get("place")
        return next((place for place in self.near_places if place.pk == pk), None)


def place_label(place: Place) -> str:
    return _("%(name)s (%(kind)s, %(distance)s m bort)") % {
        "name": place.name,
        "kind": place.get_kind_display(),
        # Set by nearest_places(), which gives the places offered here.
        "distance": int(round(place.distance_m)),  # type: ignore[attr-defined]
    }


class ReviewForm(forms.Form):
    """A coordinator's review of one event: its status and whether the next meeting sees it."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    flagged = forms.BooleanField(label=_("Ta upp på nästa EST-möte"), required=False)


def _months_field(label, help_text) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=1,
        max_value=240,
        error_messages={
            "required": _("Ange antal månader."),
            "invalid": _("Ange antal månader som ett heltal."),
            "min_value": _("Minst en månad."),
            "max_value": _("Högst 240 månader (20 år)."),
        },
    )


class RetentionForm(forms.Form):
    """A municipality's retention limits in months (decision 0031)."""

    text_months = _months_field(
        _("Fritext och foto sparas (månader)"),
        _("Äldre händelser förlorar sin beskrivning och sitt foto."),
    )
    position_months = _months_field(
        _("Exakt läge sparas (månader)"),
        _("Äldre händelsers läge flyttas till mitten av sin kvadratkilometer."),
    )
