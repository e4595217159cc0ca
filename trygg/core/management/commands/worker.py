"""`trygg worker`: run queued jobs (imports, reports) until stopped."""

import time

from django.core.management.base import BaseCommand

from trygg.core.jobs import run_pending


class Command(BaseCommand):
    help = "Kör jobb i kö (importer, rapporter). Avsluta med Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Kör det som står i kö och avsluta."
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Sekunder mellan kontroller."
        )

    def handle(self, *args, once: bool, interval: float, **options):
        self.stdout.write("Trygg worker: väntar på jobb …")
        try:
            while True:
                ran = run_pending()
                if ran:
                    self.stdout.write(f"{ran} jobb körda.")
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Avslutar.")
