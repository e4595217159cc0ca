"""The link tables of inspections (findings, measures, organisations) and of guard areas carry
the municipality of the row that owns the link (decision 0038).

Each many-to-many field gets a through model on its existing table: the model and the field's
`through` are only new to the state, the table and its rows stay. Then, as for every other
table, the column is added empty, filled from the owner and made NOT NULL. Last, the unique
index Django generated for the link is replaced by a named constraint on the same columns."""

from django.db import migrations, models

from trygg.places.link_table_migration import fk, through


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_category_time_index"),
        ("measures", "0004_rows_carry_municipality"),
        ("organisations", "0005_organisation_kind_county"),
        ("places", "0002_load_municipalities"),
        ("presence", "0005_municipality_column"),
    ]

    operations = [
        *through(
            "presence",
            "InspectionEvent",
            "presence_inspection_findings",
            "inspection",
            fk("presence.inspection"),
            "event",
            fk("events.event"),
            ("inspection", "findings"),
            models.ManyToManyField(
                blank=True,
                related_name="+",
                through="presence.InspectionEvent",
                to="events.event",
            ),
            "presence_inspection_event_unique",
        ),
        *through(
            "presence",
            "InspectionMeasure",
            "presence_inspection_measures",
            "inspection",
            fk("presence.inspection"),
            "measure",
            fk("measures.measure"),
            ("inspection", "measures"),
            models.ManyToManyField(
                blank=True,
                related_name="+",
                through="presence.InspectionMeasure",
                to="measures.measure",
            ),
            "presence_inspection_measure_unique",
        ),
        *through(
            "presence",
            "InspectionOrganisation",
            "presence_inspection_organisations",
            "inspection",
            fk("presence.inspection"),
            "organisation",
            fk("organisations.organisation"),
            ("inspection", "organisations"),
            models.ManyToManyField(
                related_name="+",
                through="presence.InspectionOrganisation",
                to="organisations.organisation",
                verbose_name="deltagande organisationer",
            ),
            "presence_inspection_organisation_unique",
        ),
        *through(
            "presence",
            "GuardAreaArea",
            "presence_guardarea_areas",
            "guard_area",
            fk("presence.guardarea", db_column="guardarea_id"),
            "area",
            fk("places.area"),
            ("guardarea", "areas"),
            models.ManyToManyField(
                related_name="+",
                through="presence.GuardAreaArea",
                to="places.area",
                verbose_name="byggt av områdena",
            ),
            "presence_guardarea_area_unique",
        ),
    ]
