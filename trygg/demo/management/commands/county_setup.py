"""`trygg county-setup 17`: every municipality of a county on this installation (decision 0035)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from trygg.demo import county, world


class Command(BaseCommand):
    help = (
        "Lägger upp ett helt län: en samordnande organisation per kommun, länsövergripande "
        "partner (polisområdet, räddningstjänsten, ett bostadsbolag) med medlemskap i varje "
        "kommun, länsstyrelsens regionala samordning (bara sammanställningar) och länets "
        "polishändelser. Kan köras igen."
    )

    def add_arguments(self, parser):
        parser.add_argument("lan", help="länskod, två siffror (Värmland = 17)")
        parser.add_argument(
            "--no-police", action="store_true", help="hoppa över polisens händelser"
        )

    def handle(self, *args, **options):
        code = options["lan"].strip()
        if not (len(code) == 2 and code.isdigit()):
            raise CommandError(f"Länskoden ska vara två siffror (Värmland = 17), inte {code!r}.")
        started = time.monotonic()
        with transaction.atomic():
            result = county.set_up(code, police=not options["no_police"])
        if not result.municipalities:
            raise CommandError(f"Det finns inga kommuner med länskod {code}.")
        self.stdout.write(f"Kommuner: {result.municipalities}")
        self.stdout.write(
            f"Organisationer: {result.organisations_created} nya, "
            f"{result.organisations_present} fanns redan"
        )
        self.stdout.write(
            f"Användare: {result.users_created} nya; medlemskap: {result.memberships_changed} "
            "nya eller ändrade"
        )
        for municipality_code, report in sorted(result.police.items()):
            self.stdout.write(
                f"Polisens händelser {municipality_code}: {report.created} nya, "
                f"{report.already_present} fanns redan"
            )
        for note in result.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(f"Klart på {time.monotonic() - started:.1f} s.")
        self.stdout.write(
            f"Inloggningar (demolösenord {world.DEMO_PASSWORD}): "
            + ", ".join([p.username for p in county.PARTNERS] + [county.COUNTY_USER])
            + ", samordnare-<kommunkod>"
        )
