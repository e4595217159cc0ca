"""Events: something observed at a place and a time, in a category. Never who."""

import numpy as np
import shapely
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.organisations.ownership import OwnedWithVisibility, VisibleQuerySet


class Source(models.TextChoices):
    PARTNER = "partner", _("partnerrapport")
    POLICE = "police", _("polisen")
    CITIZEN = "citizen", _("medborgare")
    WALK = "walk", _("trygghetsvandring")
    SHIFT = "shift", _("passrapport")
    INSPECTION = "inspection", _("krogtillsyn")
    DEMO = "demo", _("genererad demodata")


class Status(models.TextChoices):
    NEW = "new", _("ny")
    REVIEWED = "reviewed", _("granskad")
    REJECTED = "rejected", _("avvisad")
    DUPLICATE = "duplicate", _("dubblett")


class EventQuerySet(VisibleQuerySet):
    """`visible_to(user)` and `public()` come from organisations/ownership.py."""

    def in_period(self, start, end):
        return self.filter(occurred_from__gte=start, occurred_from__lt=end)

    def in_area(self, area):
        """Events assigned to the area or one of its sub-areas; for a custom area (drawn by
        a user, assigned to no event) those whose position lies inside its outline."""
        from trygg.places.models import Area

        if area.kind != Area.Kind.CUSTOM:
            return self.filter(area_id__in=area.descendant_ids())
        return self.filter(pk__in=_ids_inside(self, area.geometry))

    def in_category(self, category):
        return self.filter(category_id__in=category.descendant_ids())

    def with_related(self):
        """The rows every event listing shows by name (one query for a page, not one per row),
        without the boundaries' GeoJSON (decoding a polygon per row costs more than the rest)."""
        return self.select_related(
            "category", "municipality", "area", "place", "organisation"
        ).defer("municipality__geometry", "area__geometry")


def _ids_inside(events, geometry) -> list[int]:
    """The ids of these events inside a GeoJSON outline: a box on the (x, y) columns first,
    then the exact test on what the box kept."""
    from trygg.places.geo import outline_in_sweref

    outline = outline_in_sweref(geometry)
    min_x, min_y, max_x, max_y = outline.bounds
    boxed = events.filter(x__gte=min_x, x__lte=max_x, y__gte=min_y, y__lte=max_y)
    rows = np.array(list(boxed.values_list("pk", "x", "y")), dtype=float).reshape(-1, 3)
    inside = shapely.contains_xy(outline, rows[:, 1], rows[:, 2]) if len(rows) else []
    return rows[inside, 0].astype(int).tolist()


class ImportRun(models.Model):
    """One run of an importer: what file, by whom, what came of every record."""

    source = models.CharField(max_length=10, choices=Source.choices)
    importer = models.CharField(max_length=30)  # "polisen", "csv", "geojson", "demo"
    file_name = ScrubbedCharField(max_length=255)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    already_present = models.PositiveIntegerField(default=0)
    # Reason -> count for records not imported (night summaries, invalid rows with --skip-invalid).
    skipped = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.importer} {self.file_name} ({self.created} nya)"


class Event(OwnedWithVisibility):
    # No single-column index: event_category_time below leads with the category.
    category = models.ForeignKey(
        "events.Category", on_delete=models.PROTECT, verbose_name=_("kategori"), db_index=False
    )
    occurred_from = models.DateTimeField(_("inträffade"))
    occurred_to = models.DateTimeField(_("till"), null=True, blank=True)
    reported_at = models.DateTimeField(_("rapporterad"), auto_now_add=True)
    lat = models.FloatField()
    lon = models.FloatField()
    x = models.FloatField(help_text="SWEREF 99 TM easting (m)")
    y = models.FloatField(help_text="SWEREF 99 TM northing (m)")
    # How far the true position may be from lat/lon: the police feed gives a municipality's
    # centroid, so its events say "somewhere in Karlstad", not "at this corner".
    precision_m = models.PositiveIntegerField(_("lägesnoggrannhet (m)"), default=25)
    # The owner, the municipality and the visibility come from OwnedWithVisibility; the first two
    # are redeclared to keep the table as it was.
    # No single-column indexes on municipality and area: the composite indexes below lead with
    # them, and every extra index slows the million-row import.
    # Never empty: the column the table is sharded by (decision 0037). A county-level police
    # record, which names no municipality, is on its county's own row (Municipality.county_level).
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, db_index=False
    )
    area = models.ForeignKey(
        "places.Area", on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    place = models.ForeignKey("places.Place", on_delete=models.SET_NULL, null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="events"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("källa"), max_length=10, choices=Source.choices)
    external_id = models.CharField(_("externt id"), max_length=80, null=True, blank=True)
    external_type = models.CharField(_("källans händelsetyp"), max_length=120, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    description = ScrubbedTextField(_("beskrivning"), blank=True)
    was_scrubbed = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    # Marked by a reviewer for the EST group's next meeting; the meeting pack lists these.
    flagged = models.BooleanField(_("flaggad till mötet"), default=False)
    photo = models.ImageField(_("foto"), upload_to="events/%Y/%m/", blank=True)
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL)

    # The mixin's manager with the events' own queries added (a subclass of its QuerySet).
    objects = EventQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["-occurred_from"]
        constraints = [
            # Imports are idempotent: the same record from the same source is stored once. The
            # municipality is part of the key because a sharded table's unique keys must hold the
            # distribution column (decision 0037); as strict as (source, external_id), since a
            # record's municipality follows from the record. Source and id lead, so the index
            # still serves the importers' look-ups by (source, external_id) alone.
            models.UniqueConstraint(
                fields=["source", "external_id", "municipality"], name="event_source_external_id"
            )
        ]
        indexes = [
            # Event list and situation picture: one municipality, one period, by category.
            models.Index(fields=["municipality", "occurred_from", "category"]),
            # Area pages and filters: one area over a period.
            models.Index(fields=["area", "occurred_from"]),
            # The latest events first (the default list order), and the map: a period's
            # positions counted per grid cell. The map's columns and those visible_to() reads
            # are in the index, so SQLite answers the map's GROUP BY from the index alone
            # instead of looking up every row of a period.
            models.Index(
                fields=["occurred_from", "x", "y", "visibility", "municipality", "organisation"],
                name="event_time_position",
            ),
            # A problem's evidence for the whole municipality (promises.evidence.event_rows):
            # a few categories' events over a year, with what the places and hotspots need.
            # Category first, so each category is one range of the index rather than a fifth
            # of the table's rows filtered; the columns the query filters on and reads are all
            # here, so SQLite (and PostgreSQL on vacuumed pages) never reads the rows. It also
            # serves the category's foreign key, in place of a single-column index.
            models.Index(
                fields=[
                    "category",
                    "municipality",
                    "occurred_from",
                    "visibility",
                    "status",
                    "precision_m",
                    "x",
                    "y",
                    "place",
                ],
                name="event_category_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_from:%Y-%m-%d %H:%M}"
