"""`trygg import survey FILE --survey ID --user NAME`: a survey's responses, one row per
respondent (columns in docs/import-format.md, "Trygghetsmätning").
`trygg import survey-population FILE --survey ID --user NAME`: its sub-areas' population by sex
and age group from an SCB table.

Both check the whole file first and write all of it or nothing. Exit status 0 on success
(also when the same response file was imported before: nothing is added); 2 when nothing was
written, with every problem on stderr by row and column."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from trygg.surveys.actions.frame import import_population
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.files import FileProblems
from trygg.surveys.models import Survey

INVALID = 2
MAX_PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = "Importerar en trygghetsmätnings svar eller befolkningstabell (allt eller inget)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["survey", "survey-population"])
        parser.add_argument("path", help="CSV-filen")
        parser.add_argument("--survey", type=int, required=True, help="trygghetsmätningens id")
        parser.add_argument(
            "--user", required=True, help="samordnare eller analytiker i kommunen som importerar"
        )

    def handle(self, *args, **options):
        survey = Survey.objects.filter(pk=options["survey"]).first()
        if survey is None:
            raise CommandError(
                f"Ingen trygghetsmätning med id {options['survey']}.", returncode=INVALID
            )
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Ingen användare {options['user']}.", returncode=INVALID)
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}", returncode=INVALID) from None
        try:
            message = self._import(options["what"], survey, data, path.name, user)
        except FileProblems as refused:
            shown = [str(p) for p in refused.problems[:MAX_PROBLEMS_SHOWN]]
            more = len(refused.problems) - len(shown)
            if more > 0:
                shown.append(f"… och {more} till")
            raise CommandError(
                f"{path.name}: inget importerat.\n" + "\n".join(shown), returncode=INVALID
            ) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=INVALID) from None
        self.stdout.write(message)

    def _import(self, what: str, survey: Survey, data: bytes, name: str, user) -> str:
        if what == "survey-population":
            cells = import_population(survey, data, name, acting_user=user)
            return f"{name}: befolkning i {cells} celler (delområde × kön × åldersgrupp)."
        imported = import_responses(survey, data, name, acting_user=user)
        if not imported.new:
            return f"{name} är redan importerad ({imported.rows} svarande); inget tillagt."
        return f"{name}: {imported.rows} svarande importerade."
