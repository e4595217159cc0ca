"""A resident's report (medborgarrapport): an event with source `citizen`, and beside it what the
portal needs: the tracking link's hash, the "me too" count, the moderation state, where it was
sent and how it ended. The resident's e-mail address, if given, lives in its own table
(`StatusContact`) that staff pages never read, and is deleted when the report is closed or
after 90 days at most (issue 12, point 2)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.citizens.categories import CHOICES
from trygg.core.fields import ScrubbedCharField, ScrubbedTextField
from trygg.places.municipality_column import CarriesMunicipality, StaysInItsMunicipality


class Moderation(models.TextChoices):
    PENDING = "pending", _("väntar på granskning")
    PUBLISHED = "published", _("publicerad")
    HIDDEN = "hidden", _("dold")
    DUPLICATE = "duplicate", _("dubblett")


class Outcome(models.TextChoices):
    FIXED = "fixed", _("åtgärdad")
    NOT_OURS = "not_ours", _("inte vårt ansvar")
    NO_ACTION = "no_action", _("ingen åtgärd")


class Channel(models.TextChoices):
    WEB = "web", _("webbformuläret")
    OPEN311 = "open311", _("Open311")


class CitizenReport(StaysInItsMunicipality):
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="citizen_report"
    )
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    resident_category = models.CharField(_("vad gäller det"), max_length=20, choices=CHOICES)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    # SHA-256 of the tracking link's secret: the link is shown once, on the receipt.
    tracking_hash = models.CharField(max_length=64, unique=True)
    me_too = models.PositiveIntegerField(_("fler som sett samma"), default=0)
    moderation = models.CharField(
        _("granskning"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    hidden_reason = ScrubbedTextField(_("skäl att dölja"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Where it went: the organisation the responsibility rules suggested and a person confirmed.
    routed_to = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citizen_reports",
        verbose_name=_("skickad till"),
    )
    routed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices, blank=True)
    # Shown to the resident: "inte kommunens mark — kontakta Trafikverket".
    closing_note = ScrubbedTextField(_("besked till den som rapporterade"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invånares rapport")
        verbose_name_plural = _("invånares rapporter")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The moderation queue: a municipality's waiting reports, oldest first.
            models.Index(fields=["municipality", "moderation", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_resident_category_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.moderation in (
            Moderation.PENDING,
            Moderation.PUBLISHED,
        )


class StatusContact(CarriesMunicipality):
    """The address a resident gave for status mails: apart from the report, never shown to
    staff or partners, deleted when the report closes or at `forget_after` at the latest."""

    municipality_parent = "report"

    report = models.OneToOneField(
        CitizenReport, on_delete=models.CASCADE, related_name="status_contact"
    )
    email = models.EmailField()
    forget_after = models.DateField()

    class Meta:
        verbose_name = _("adress för statusbesked")
        verbose_name_plural = _("adresser för statusbesked")

    def __str__(self) -> str:
        return f"#{self.report_id}"


class ReportPhoto(CarriesMunicipality):
    """A resident's photo without metadata; public only once a moderator approved it."""

    municipality_parent = "report"

    class Review(models.TextChoices):
        PENDING = "pending", _("ej granskad")
        APPROVED = "approved", _("godkänd för publicering")
        REJECTED = "rejected", _("inte för publicering")

    report = models.ForeignKey(CitizenReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="citizens/%Y/%m/")
    review = models.CharField(max_length=8, choices=Review.choices, default=Review.PENDING)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foton")
        ordering = ["report_id", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_review_display()}"


class StatusNotice(CarriesMunicipality):
    """A status mail owed to the resident who reported (issue 12, point 3): queued by the
    moderation actions, sent by the worker through `core.outbox`, never twice. The address is
    read from `StatusContact` at sending time and is not copied here: `recipients` says only
    that it was sent to the address the resident gave, which is deleted afterwards."""

    municipality_parent = "report"

    class Kind(models.TextChoices):
        ROUTED = "routed", _("skickad vidare")
        CLOSED = "closed", _("avslutad")
        HIDDEN = "hidden", _("dold")
        DUPLICATE = "duplicate", _("dubblett")

    report = models.ForeignKey(CitizenReport, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What makes it distinct: the organisation a routed report went to (routed anew elsewhere
    # earns a new mail; to the same organisation again, none).
    key = ScrubbedCharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Scrubbed like any free text: the outbox writes the address here for a moment before
    # `citizens.notices` replaces it, and the scrubber removes it even then.
    recipients = ScrubbedTextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = ScrubbedTextField(blank=True)

    class Meta:
        verbose_name = _("statusbesked")
        verbose_name_plural = _("statusbesked")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "key"], name="citizens_notice_once")
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.report_id}: {self.get_kind_display()}"


class Open311Client(StaysInItsMunicipality):
    """A client application (a municipality's fault-report app) allowed to POST Open311
    service requests for one municipality. The key is shown once when it is made; only its
    SHA-256 and first characters are kept (the prefix tells keys apart in the admin)."""

    name = models.CharField(_("namn"), max_length=120)
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommun")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("nyckelns början"), max_length=8, editable=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Empty: the setting TRYGG_OPEN311_POSTS_PER_KEY_HOUR (citizens/throttle.py). Set for an app
    # that sends more (a whole region's app) or should send less (one under test).
    posts_per_hour = models.PositiveIntegerField(
        _("rapporter per timme"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Tomt: samma tak som för alla klienter "
            "(inställningen TRYGG_OPEN311_POSTS_PER_KEY_HOUR, normalt 300)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-klient")
        verbose_name_plural = _("Open311-klienter")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
