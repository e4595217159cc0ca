"""The audit log (who, when, what, old -> new) and the jobs table the worker runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedTextField


class AuditEntry(models.Model):
    """One write (or a read of a non-public record), kept for accountability."""

    class Action(models.TextChoices):
        CREATE = "create", _("skapad")
        UPDATE = "update", _("ändrad")
        DELETE = "delete", _("borttagen")
        IMPORT = "import", _("import")
        READ = "read", _("läst")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60)  # "events.event"
    object_id = models.CharField(max_length=40)
    field = models.CharField(max_length=60, blank=True)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("granskningspost")
        verbose_name_plural = _("granskningslogg")
        indexes = [
            # "Show the history of this object": object timeline on detail pages and in tests.
            models.Index(fields=["object_type", "object_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Job(models.Model):
    """Work for `trygg worker`: imports and other long tasks, with progress a page can show."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("i kö")
        RUNNING = "running", _("pågår")
        DONE = "done", _("klar")
        FAILED = "failed", _("misslyckades")

    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = ScrubbedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # "host:pid" of the worker running it: a worker that starts finds the jobs a dead one on
    # its machine left running and puts them back in the queue (jobs.requeue_abandoned).
    claimed_by = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("jobb")
        verbose_name_plural = _("jobb")
        indexes = [
            # The worker's poll: the oldest queued job.
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class WorkerBeat(models.Model):
    """When a `trygg worker` last went round its loop, one row per machine it runs on: /healthz
    tells a running worker from one that stopped or hangs."""

    host = models.CharField(max_length=255, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("arbetarens puls")
        verbose_name_plural = _("arbetarens puls")

    def __str__(self) -> str:
        return f"{self.host} {self.beat_at:%Y-%m-%d %H:%M:%S}"
