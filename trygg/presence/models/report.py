"""The shift report: what a group saw and did on one shift, sent from the phone at its end.

Counts, never people (docs/decisions/0024, 0028): how many the group met by age band and how
many times it intervened by kind. What it observed are events with source `shift`, written
through the shared event path (events.actions.report_event), and linked here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedTextField
from trygg.organisations.shards import parent
from trygg.places.municipality_column import CarriesMunicipality

# (key in the API and the phone's form, column, label): the people met, by age band.
AGE_BANDS = (
    ("under_13", "met_under_13", _("under 13 år")),
    ("13_17", "met_13_17", _("13–17 år")),
    ("18_25", "met_18_25", _("18–25 år")),
    ("over_25", "met_over_25", _("över 25 år")),
)
# The same for what the group did.
INTERVENTIONS = (
    ("talks", "talks", _("samtal")),
    ("referred_to_adult", "referred_to_adult", _("hänvisat till vuxen/förälder")),
    ("called_police", "called_police", _("ringt polis")),
    ("called_rescue", "called_rescue", _("ringt ambulans/räddningstjänst")),
    ("first_aid", "first_aid", _("första hjälpen")),
    ("mediated", "mediated", _("medlat i konflikt")),
    ("other", "other_interventions", _("annat")),
)
COUNT_COLUMNS = tuple(column for _key, column, _label in AGE_BANDS + INTERVENTIONS)


def _count(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


class ShiftReport(CarriesMunicipality):
    """One per shift; a correction replaces its counts and note (audited, field by field)."""

    municipality_parent = "shift"

    shift = models.OneToOneField(
        "presence.Shift", on_delete=models.PROTECT, related_name="report", verbose_name=_("pass")
    )
    # The phone's id for the report: the same report sent again is stored once. Unique in
    # the shift's municipality, where a repeat always arrives, as sharded by it on Citus.
    client_id = models.UUIDField(_("enhetens id"))
    met_under_13 = _count(_("mötta under 13 år"))
    met_13_17 = _count(_("mötta 13–17 år"))
    met_18_25 = _count(_("mötta 18–25 år"))
    met_over_25 = _count(_("mötta över 25 år"))
    talks = _count(_("samtal"))
    referred_to_adult = _count(_("hänvisat till vuxen/förälder"))
    called_police = _count(_("ringt polis"))
    called_rescue = _count(_("ringt ambulans/räddningstjänst"))
    first_aid = _count(_("första hjälpen"))
    mediated = _count(_("medlat i konflikt"))
    other_interventions = _count(_("andra insatser"))
    note = ScrubbedTextField(_("anteckning"), blank=True)
    was_scrubbed = models.BooleanField(default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("passrapport")
        verbose_name_plural = _("passrapporter")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "client_id"], name="presence_report_client_id_once"
            ),
            # PositiveIntegerField checks this on PostgreSQL only; stated for every database.
            models.CheckConstraint(
                condition=models.Q(
                    *(models.Q(**{f"{column}__gte": 0}) for column in COUNT_COLUMNS)
                ),
                name="presence_report_counts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift}"

    def get_absolute_url(self) -> str:
        # The shift read in the report's municipality, so that Citus asks one shard.
        return parent(self, "shift").get_absolute_url() + "rapport/"

    @property
    def met(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), getattr(self, column)) for key, column, label in AGE_BANDS]

    @property
    def interventions(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), getattr(self, column)) for key, column, label in INTERVENTIONS]

    @property
    def met_total(self) -> int:
        return sum(getattr(self, column) for _key, column, _label in AGE_BANDS)


class ShiftObservation(CarriesMunicipality):
    """An event the group reported on the shift (source `shift`, the phone's id as its
    external id). The event holds where, when, what and the note; this row only says which
    shift it came from."""

    municipality_parent = "report"

    report = models.ForeignKey(ShiftReport, on_delete=models.CASCADE, related_name="observations")
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="shift_observation"
    )

    class Meta:
        verbose_name = _("iakttagelse på pass")
        verbose_name_plural = _("iakttagelser på pass")
        # In the order they were filed; ordering by the event's time would join the events
        # for every list of observations, across shards on Citus (decision 0039).
        ordering = ["report_id", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.event_id}"
