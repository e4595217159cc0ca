from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "trygg.citizens"
    label = "citizens"
    verbose_name = "Invånare"

    def ready(self):
        from trygg.citizens.dialogue_summary import EVIDENCE_HEADING, area_themes
        from trygg.citizens.indicators import DIALOGUES_HELD
        from trygg.citizens.models import ReportPhoto
        from trygg.core import jobs
        from trygg.events import retention
        from trygg.measures import indicators
        from trygg.situation import evidence_sections

        # Status mails to residents and forgetting their addresses; a minute's delay is fine.
        jobs.register_periodic("trygg.citizens.notices.run_periodic", 60.0)
        # What a commitment in a medborgarlöfte can be followed by.
        indicators.register(DIALOGUES_HELD)
        # A resident's photos go with the report's text when the municipality's limit passes.
        retention.register_photo_retention(
            "citizens",
            lambda events, municipality_id: retention.delete_photo_rows(
                ReportPhoto.objects.filter(
                    municipality_id=municipality_id,
                    report__municipality_id=municipality_id,
                    report__event__in=events,
                )
            ),
        )
        # A problem area's evidence shows what residents raised about its areas.
        evidence_sections.register(
            evidence_sections.EvidenceSection(
                "dialogues",
                EVIDENCE_HEADING,
                "citizens/evidence_section.html",
                area_themes,
                order=20,
            )
        )
