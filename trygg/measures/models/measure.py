"""A measure (åtgärd): something an organisation does at a place, with a deadline and a
follow-up, and its timeline of comments and changes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


class Status(models.TextChoices):
    PROPOSED = "proposed", _("föreslagen")
    AGREED = "agreed", _("beslutad")
    IN_PROGRESS = "in_progress", _("pågår")
    DONE = "done", _("klar")
    CANCELLED = "cancelled", _("avbruten")


class Kind(models.TextChoices):
    """What sort of measure it is. The physical ones sit at a place, so they need one: the
    evaluation counts the events around it (and also evenings and weekends on their own)."""

    OTHER = "other", _("annan åtgärd")
    CAMERA = "camera", _("kamera")
    LIGHTING = "lighting", _("belysning")
    VEGETATION = "vegetation", _("röjning av buskage och vegetation")
    GRAFFITI_GUARD = "graffiti_guard", _("klotterskydd")
    FENCE = "fence", _("stängsel eller grind")
    OTHER_PHYSICAL = "other_physical", _("annan fysisk åtgärd")


PHYSICAL_KINDS = frozenset(
    (
        Kind.CAMERA,
        Kind.LIGHTING,
        Kind.VEGETATION,
        Kind.GRAFFITI_GUARD,
        Kind.FENCE,
        Kind.OTHER_PHYSICAL,
    )
)

OPEN_STATUSES = (Status.PROPOSED, Status.AGREED, Status.IN_PROGRESS)

# Where a measure may go from each status. Done and cancelled are final: a measure that has
# to be taken up again is a new measure, so the follow-up of the old one stays true.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.AGREED, Status.IN_PROGRESS, Status.CANCELLED),
    Status.AGREED: (Status.IN_PROGRESS, Status.DONE, Status.CANCELLED),
    Status.IN_PROGRESS: (Status.DONE, Status.CANCELLED),
    Status.DONE: (),
    Status.CANCELLED: (),
}


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Measures are shared among the partners of a municipality: staff of any organisation
        there see them all; an organisation also sees those it is responsible for elsewhere."""
        from trygg.organisations.access import access_for

        access = access_for(user)
        if access.is_superuser:
            return self
        if not access.is_authenticated:
            return self.none()
        return self.filter(
            Q(municipality_id__in=access.municipality_ids)
            | Q(responsible_id__in=access.organisation_ids)
        )

    def in_area(self, area):
        """Measures set on the area or one of its sub-areas, or at a place in one of them."""
        ids = area.descendant_ids()
        return self.filter(Q(area_id__in=ids) | Q(place__area_id__in=ids))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(due__lt=today)

    def due_within(self, start: dt.date, end: dt.date):
        """Open measures due in [start, end)."""
        return self.open().filter(due__gte=start, due__lt=end)


class Measure(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="measures"
    )
    title = ScrubbedCharField(_("rubrik"), max_length=160)
    description = ScrubbedTextField(_("beskrivning"), blank=True)
    kind = models.CharField(
        _("typ av åtgärd"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("Kamera, belysning, röjning och andra fysiska åtgärder måste ha en plats."),
    )
    category = models.ForeignKey(
        "events.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("kategori"),
        help_text=_("Det problem åtgärden ska minska; styr också utvärderingen."),
    )
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("plats")
    )
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("område")
    )
    responsible = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("ansvarig organisation"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    cancel_reason = ScrubbedTextField(_("skäl till att åtgärden avbröts"), blank=True)
    due = models.DateField(_("klar senast"), null=True, blank=True)
    cost = models.DecimalField(
        _("kostnad (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    # Where it came from. Walk findings and promises will link here the same way when those
    # apps exist; a meeting decision points at its measure (Decision.measure).
    events = models.ManyToManyField(
        "events.Event",
        through="measures.MeasureEvent",
        blank=True,
        related_name="measures",
        verbose_name=_("händelser"),
    )
    problem = models.ForeignKey(
        "measures.PlanProblem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name=_("problem i åtgärdsplanen"),
    )
    # Set by the status changes; the evaluation compares the time before `started_on` (or the
    # decision) with the time after `done_on`.
    started_on = models.DateField(_("påbörjad"), null=True, blank=True)
    done_on = models.DateField(_("klar"), null=True, blank=True)
    # The evaluation's choices, kept so everyone sees the same figures (evaluation.py).
    control_area = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("kontrollområde"),
    )
    target_radius_m = models.PositiveIntegerField(_("radie runt platsen (m)"), default=100)
    buffer_m = models.PositiveIntegerField(_("buffertring (m)"), default=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["due", "pk"]
        indexes = [
            # The municipality's list and the meeting pack: open measures by due date.
            models.Index(fields=["municipality", "status", "due"]),
            # A partner's own page: what its organisation owns, by due date.
            models.Index(fields=["responsible", "status", "due"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due is not None and self.due < (today or timezone.localdate())

    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def is_physical(self) -> bool:
        return self.kind in PHYSICAL_KINDS

    @property
    def where(self):
        """The place, else the area, else None (the whole municipality)."""
        return self.place or self.area


class MeasureEvent(CarriesMunicipality):
    """An event the measure answers: the link table of `Measure.events`, which carries the
    measure's municipality like every tenant table (decision 0038). The table and its rows are
    those Django made for the field; `add()` and `set()` fill the column through bulk_create."""

    municipality_parent = "measure"

    measure = models.ForeignKey("measures.Measure", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "measures_measure_events"
        constraints = [
            models.UniqueConstraint(fields=["measure", "event"], name="measures_measure_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.event_id}"


class MeasureEntry(CarriesMunicipality):
    """One line of a measure's timeline: made, assigned, status changed, commented.

    The audit log has the same facts for the record; this is what the partners read."""

    municipality_parent = "measure"

    class Kind(models.TextChoices):
        CREATED = "created", _("skapad")
        ASSIGNED = "assigned", _("ansvar")
        STATUS = "status", _("status")
        EDITED = "edited", _("ändrad")
        COMMENT = "comment", _("kommentar")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # For changes: what changed from and to, as shown (status code, organisation name, date).
    old = ScrubbedCharField(max_length=200, blank=True)
    new = ScrubbedCharField(max_length=200, blank=True)
    text = ScrubbedTextField(blank=True)  # comment or reason
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organisation the author wrote for: partners see organisations, not people.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("händelse i åtgärdens logg")
        verbose_name_plural = _("åtgärdens logg")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_kind_display()}"

    @property
    def new_label(self) -> str:
        """The new value as shown: a status by its name in the reader's language."""
        if self.kind == self.Kind.STATUS and self.new in Status.values:
            return str(Status(self.new).label)
        return self.new
