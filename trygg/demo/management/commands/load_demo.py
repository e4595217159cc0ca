"""`trygg load-demo`: the demo municipality Karlstad, from real open data (docs/demo.md)."""

from __future__ import annotations

import datetime as dt
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from trygg.demo import citizens as demo_citizens
from trygg.demo import desk as demo_desk
from trygg.demo import dialogues as demo_dialogues
from trygg.demo import krogtillsyn as demo_krogtillsyn
from trygg.demo import loader, world
from trygg.demo import measures as demo_measures
from trygg.demo import presence as demo_presence
from trygg.demo import promises as demo_promises
from trygg.demo import purple_flag as demo_purple_flag
from trygg.demo import shift_reports as demo_shift_reports
from trygg.demo import surveys as demo_surveys
from trygg.demo import walks as demo_walks
from trygg.organisations.models import Organisation

DEFAULT_SEED = 1780  # Karlstad's kommunkod


class Command(BaseCommand):
    help = (
        "Läser in demokommunen Karlstad: stadsdelar, organisationer, demoanvändare, platser, "
        "polisens händelser i Värmland, genererade partnerrapporter, åtgärder, "
        "trygghetsvandringar, invånares rapporter, trygghetscentrets ärenden, "
        "medborgardialoger, trygghetsmätningar över RegSO-delområdena och medborgarlöftet "
        "2023–2027 med uppföljningar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="gör ingenting om det redan finns organisationer (snabb omstart för make run)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="slumpfrö (standard 1780)"
        )
        parser.add_argument(
            "--years", type=int, default=2, help="år bakåt från i dag att generera (standard 2)"
        )
        parser.add_argument(
            "--days", type=int, default=None, help="dagar bakåt i stället för --years (för tester)"
        )
        parser.add_argument(
            "--no-police", action="store_true", help="hoppa över polisens händelser"
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Det finns redan organisationer: demodata läses inte in igen.")
            self._print_logins()
            return
        days = options["days"] if options["days"] is not None else 365 * options["years"]
        if days < 1:
            raise CommandError("--days/--years måste ge minst en dag.")
        if options["seed"] < 0:
            raise CommandError("--seed måste vara ett icke-negativt heltal.")
        started = time.monotonic()
        with transaction.atomic():
            self._load(options["seed"], days, options["no_police"])
        self.stdout.write(f"Klart på {time.monotonic() - started:.1f} s.")
        self._print_logins()

    def _load(self, seed: int, days: int, skip_police: bool) -> None:
        karlstad = loader.karlstad()
        step = self._step
        step("Stadsdelar", lambda: loader.load_districts(karlstad))
        # After the districts: where the two overlap, the area index prefers the older rows.
        step("Delområden (RegSO)", lambda: loader.load_regso(karlstad))
        organisations = loader.load_organisations()
        self.stdout.write(f"Organisationer: {len(organisations)}")
        step("Demoanvändare", lambda: loader.load_personas(organisations), "fanns redan")
        step("Platser", lambda: loader.load_places(karlstad, organisations))
        now = timezone.now()
        if skip_police:
            self.stdout.write("Polisens händelser: hoppades över (--no-police)")
        else:
            self._police(organisations[world.POLISEN], now)
        today = timezone.localdate(now)
        start, end = today - dt.timedelta(days=days), today + dt.timedelta(days=1)
        step(
            f"Genererade partnerrapporter (frö {seed}, {start}–{today})",
            lambda: loader.load_generated(
                karlstad, organisations, seed=seed, start=start, end=end, now=now
            ),
            present_word="fanns redan",
        )
        step(
            "Ansvarsregler",
            lambda: demo_measures.load_rules(karlstad, organisations),
            "fanns redan",
        )
        step("Åtgärder", lambda: demo_measures.load_measures(karlstad, today), "fanns redan")
        step("EST-möte", lambda: demo_measures.load_meeting(karlstad, today), "fanns redan")
        step("Åtgärdsplan", lambda: demo_measures.load_plan(karlstad, today), "fanns redan")
        # After the plan: the walks' measures are not among the plan's problems.
        step(
            "Trygghetsvandringar",
            lambda: demo_walks.load_walks(karlstad, today, seed=seed),
            "fanns redan",
        )
        step(
            "Invånares rapporter",
            lambda: demo_citizens.load_reports(
                karlstad, now, seed=seed, days=min(days, demo_citizens.DAYS)
            ),
            "fanns redan",
        )
        step(
            "Trygghetscentret (dagar med ärenden)",
            lambda: demo_desk.load_desk(karlstad, now, seed=seed, days=min(days, demo_desk.DAYS)),
            "fanns redan",
        )
        step(
            "Medborgardialoger 2023", lambda: demo_dialogues.load_dialogues(karlstad), "fanns redan"
        )
        # Last: the surveys' patterns follow the events loaded above.
        step(
            "Trygghetsmätningar 2022 och 2024",
            lambda: demo_surveys.load_surveys(karlstad, today, seed=seed),
            "fanns redan",
        )
        step(
            "Närvarogrupper och pass",
            lambda: demo_presence.load_presence(karlstad, today),
            "fanns redan",
        )
        step(
            "Passrapporter",
            lambda: demo_shift_reports.load_shift_reports(karlstad, now),
            "fanns redan",
        )
        step(
            "Krogtillsyn", lambda: demo_krogtillsyn.load_krogtillsyn(karlstad, today), "fanns redan"
        )
        # After the measures and walks its commitments link to, and the dialogues it cites.
        step(
            "Medborgarlöftet 2023–2027",
            lambda: demo_promises.load_promises(karlstad, today),
            "fanns redan",
        )
        step(
            "Purple Flag", lambda: demo_purple_flag.load_purple_flag(karlstad, today), "fanns redan"
        )

    def _step(self, label: str, action, present_word: str = "ändrade"):
        began = time.monotonic()
        counts = action()
        self.stdout.write(
            f"{label}: {counts.created} nya, {counts.updated} {present_word} "
            f"({time.monotonic() - began:.1f} s)"
        )
        for note in counts.notes:
            self.stdout.write(f"  {note}")
        return counts

    def _police(self, organisation, now) -> None:
        began = time.monotonic()
        report = loader.load_police(organisation, now)
        if report is None:
            self.stdout.write(
                self.style.WARNING("Polisens händelser: importören saknas, hoppades över.")
            )
            return
        skipped = sum(report.skipped.values())
        self.stdout.write(
            f"Polisens händelser i Värmland: {report.records} poster, {report.created} nya, "
            f"{report.already_present} fanns redan, {skipped} överhoppade "
            f"({time.monotonic() - began:.1f} s)"
        )

    def _print_logins(self) -> None:
        rows = [("Användare", "Organisation", "Roll")]
        names = dict(Organisation.objects.values_list("code", "name"))
        users = get_user_model().objects.filter(username__in=[p.username for p in world.PERSONAS])
        existing = set(users.values_list("username", flat=True))
        if not existing:
            return
        for persona in (p for p in world.PERSONAS if p.username in existing):
            organisation = names.get(persona.organisation, "–") if persona.organisation else "–"
            rows.append((persona.username, organisation, persona.description))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demoinloggningar (demolösenord, bara för demo):")
        for i, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + "  ".join(cells).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write(
            self.style.WARNING(
                f"Lösenord för alla: {world.DEMO_PASSWORD}  (ett demolösenord: använd det aldrig "
                "i en riktig installation; byts det ändras det inte av en ny inläsning)"
            )
        )
