"""The link tables of inspections and guard areas, as models of their own so that each link
carries the municipality of the inspection or guard area that owns it (decision 0038). They
keep the tables and columns Django created for the many-to-many fields."""

from __future__ import annotations

from django.db import models

from trygg.places.municipality_column import CarriesMunicipality


class InspectionEvent(CarriesMunicipality):
    municipality_parent = "inspection"

    inspection = models.ForeignKey(
        "presence.Inspection", on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "presence_inspection_findings"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "event"], name="presence_inspection_event_unique"
            )
        ]


class InspectionMeasure(CarriesMunicipality):
    municipality_parent = "inspection"

    inspection = models.ForeignKey(
        "presence.Inspection", on_delete=models.CASCADE, related_name="+"
    )
    measure = models.ForeignKey("measures.Measure", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "presence_inspection_measures"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "measure"], name="presence_inspection_measure_unique"
            )
        ]


class InspectionOrganisation(CarriesMunicipality):
    municipality_parent = "inspection"

    inspection = models.ForeignKey(
        "presence.Inspection", on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "presence_inspection_organisations"
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "organisation"],
                name="presence_inspection_organisation_unique",
            )
        ]


class GuardAreaArea(CarriesMunicipality):
    municipality_parent = "guard_area"

    guard_area = models.ForeignKey(
        "presence.GuardArea",
        on_delete=models.CASCADE,
        related_name="+",
        db_column="guardarea_id",
    )
    area = models.ForeignKey("places.Area", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "presence_guardarea_areas"
        constraints = [
            models.UniqueConstraint(
                fields=["guard_area", "area"], name="presence_guardarea_area_unique"
            )
        ]
