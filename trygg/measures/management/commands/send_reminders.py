"""`trygg send-reminders`: what the worker does for measures' e-mails, once, with counts.

Queues the reminders owed today (a week before a measure is due, and when it is overdue), then
sends every e-mail whose turn has come: assignments, reminders, and the word to reporting
organisations that a measure is done. Safe to run beside the worker and as often as you like:
nothing is queued or sent twice (trygg/measures/notifications.py).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.measures.notifications import SEND_LIMIT, run_periodic


class Command(BaseCommand):
    help = _("Köa påminnelser om åtgärder och skicka e-post som väntar, en gång.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=SEND_LIMIT,
            help=_("Högst så här många e-brev hanteras (standard %(default)s)."),
        )

    def handle(self, *args, limit: int, **options):
        counts = run_periodic(timezone.now(), limit=limit)
        self.stdout.write(
            _(
                "Nya påminnelser: %(queued)d. Skickade e-brev: %(sent)d. "
                "Överhoppade (inte längre aktuella): %(skipped)d. Misslyckade: %(failed)d."
            )
            % counts
        )
