"""`trygg worker`: run queued jobs (imports, reports) and the periodic work (reminder e-mails)
until stopped."""

import time

from django.core.management.base import BaseCommand

from trygg.core.heartbeat import beat
from trygg.core.jobs import requeue_abandoned, run_pending, run_periodic


class Command(BaseCommand):
    help = (
        "Kör jobb i kö (importer, rapporter) och återkommande arbete (påminnelser per "
        "e-post). Avsluta med Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Kör det som står i kö och det återkommande arbetet en gång, och avsluta.",
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Sekunder mellan kontroller."
        )

    def handle(self, *args, once: bool, interval: float, **options):
        self.stdout.write("Trygg worker: väntar på jobb …")
        try:
            while True:
                beat()  # /healthz: this worker is alive
                # A worker killed mid-job on this machine left it running: run it again.
                requeued = requeue_abandoned()
                if requeued:
                    self.stdout.write(f"{requeued} avbrutna jobb lagda i kön igen.")
                ran = run_pending()
                if ran:
                    self.stdout.write(f"{ran} jobb körda.")
                self.report(run_periodic(force=once))
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Avslutar.")

    def report(self, results: dict[str, dict]) -> None:
        """One line per periodic task that did something, e.g. `...run_periodic: sent=2`."""
        for path, counts in results.items():
            done = {name: value for name, value in (counts or {}).items() if value}
            if done:
                shown = ", ".join(f"{name}={value}" for name, value in done.items())
                self.stdout.write(f"{path}: {shown}")
