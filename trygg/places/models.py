"""Municipalities, areas (versioned boundaries) and places: where events happen."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.trees import descendant_ids


class MunicipalityManager(models.Manager):
    """The municipalities proper: without the counties' own rows (`Municipality.county_level`)."""

    def get_queryset(self):
        return super().get_queryset().filter(county_level=False)


class WithCountiesManager(models.Manager):
    """Every row, the counties' own included: for the code that files or counts county-level
    events."""


class Municipality(models.Model):
    """A kommun, identified by its kommunkod (Karlstad = 1780). Loaded for all of Sweden.

    Beside the 290 municipalities each county has a row of its own (`county_level`, code "00" +
    the county code, no geometry): the key of the police's county-level events, which happened
    somewhere in the county but in no municipality the record names (decision 0037, Beslut 3
    step 4). It is never a municipality: `Municipality.objects` leaves those rows out, so no
    list, switcher, form or lookup by code offers them; `Municipality.with_counties` has them
    all, and an event's `municipality` (the base manager) reaches its county's row."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=80)
    county_code = models.CharField(_("länskod"), max_length=2, db_index=True)
    # GeoJSON geometry in WGS84; the area index projects it for point-in-polygon tests.
    geometry = models.JSONField(null=True, blank=True)
    # The county's own row, not a municipality (see above).
    county_level = models.BooleanField(default=False)

    objects = MunicipalityManager()
    with_counties = WithCountiesManager()

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaQuerySet(models.QuerySet):
    def valid_at(self, moment):
        """Areas whose boundary was in force at `moment` (a date)."""
        return self.filter(valid_from__lte=moment).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=moment)
        )

    def current(self):
        return self.filter(valid_to__isnull=True)


class Area(models.Model):
    """A named part of a municipality. Boundaries change: a new version gets a new row,
    so events keep the area they were assigned to when written."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("stadsdel")
        SUB_AREA = "sub_area", _("delområde")
        CUSTOM = "custom", _("eget område")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("namn"), max_length=120)
    code = models.CharField(_("kod"), max_length=40, blank=True)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.DISTRICT)
    geometry = models.JSONField(_("geometri (GeoJSON, WGS84)"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["name"]
        indexes = [
            # The area index loads the current areas of one municipality.
            models.Index(fields=["municipality", "valid_to"]),
        ]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> list[int]:
        """This area and every area under it, any version: an area covers its parts."""
        return descendant_ids(Area.objects.all(), self.pk)


class Place(models.Model):
    """A stable, named thing at a position (a square, a school yard, a stairwell) that events,
    walks and measures attach to, with the organisation that manages it."""

    class Kind(models.TextChoices):
        SQUARE = "square", _("torg")
        PARK = "park", _("park")
        PLAYGROUND = "playground", _("lekplats")
        SCHOOL_YARD = "school_yard", _("skolgård")
        STATION = "station", _("station / hållplats")
        STREET = "street", _("gata / gång- och cykelväg")
        STAIRWELL = "stairwell", _("trapphus")
        YARD = "yard", _("innergård")
        PARKING = "parking", _("parkering / garage")
        SHOP = "shop", _("butik / köpcentrum")
        SPORTS = "sports", _("idrottsplats")
        OTHER = "other", _("annan plats")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("namn"), max_length=160)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    lat = models.FloatField()
    lon = models.FloatField()
    x = models.FloatField(help_text="SWEREF 99 TM easting (m)")
    y = models.FloatField(help_text="SWEREF 99 TM northing (m)")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL)
    manager = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_places",
        verbose_name=_("förvaltare"),
    )
    # Where the place came from (e.g. "karlstad-lekplatser:123"), so reloading adds nothing.
    external_id = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~models.Q(external_id=""),
                name="place_unique_external_id",
            )
        ]
        indexes = [
            # "Nearest named places" on the reporting form: a box around a point.
            models.Index(fields=["municipality", "x", "y"]),
        ]

    def __str__(self) -> str:
        return self.name
