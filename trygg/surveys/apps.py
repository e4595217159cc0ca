from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "trygg.surveys"
    label = "surveys"
    verbose_name = "Trygghetsmätningar"

    def ready(self):
        from trygg.situation.annual_sections import AnnualSection, register
        from trygg.surveys.headline import ANNUAL_HEADING, annual_headline

        # The annual lägesbild keeps the latest survey's headline figures, when there is one.
        register(
            AnnualSection("survey", ANNUAL_HEADING, "surveys/report_annual.html", annual_headline)
        )
