from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "trygg.surveys"
    label = "surveys"
    verbose_name = "Trygghetsmätningar"

    def ready(self):
        from trygg.situation import evidence_sections
        from trygg.situation.annual_sections import AnnualSection, register
        from trygg.surveys import evidence
        from trygg.surveys.headline import ANNUAL_HEADING, annual_headline

        # The annual lägesbild keeps the latest survey's headline figures, when there is one.
        register(
            AnnualSection("survey", ANNUAL_HEADING, "surveys/report_annual.html", annual_headline)
        )
        # A problem area's evidence shows the survey's index for the problem's areas.
        evidence_sections.register(
            evidence_sections.EvidenceSection(
                "survey",
                evidence.HEADING,
                "surveys/evidence_section.html",
                evidence.evidence_section,
                order=10,
            )
        )
