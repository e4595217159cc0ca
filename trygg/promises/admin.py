"""The admin reads agreements, promises and follow-ups; it does not write them. Adoption,
revision and follow-up go through the actions (audit, validation, the kept snapshots), so
everything here is read-only, and the reminders' outbox can be inspected."""

from django.contrib import admin

from trygg.organisations.shards import linked
from trygg.places.sharded_admin import ShardedListAdmin
from trygg.promises.models import Agreement, FollowUp, FollowUpReminder, Promise, PromiseVersion


class ReadOnlyAdmin(ShardedListAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "start", "end", "follow_up_interval"]
    list_filter = ["municipality"]


class VersionInline(admin.TabularInline):
    model = PromiseVersion
    extra = 0
    fields = ("number", "adopted_on", "adopted_by", "changes")
    readonly_fields = ("number", "adopted_on", "adopted_by", "changes")
    can_delete = False
    # A version's default order starts with its promise, which joins the promise table: on
    # Citus, a join of two sharded tables the page does not restrict to one municipality.
    ordering = ("number",)


@admin.register(Promise)
class PromiseAdmin(ReadOnlyAdmin):
    list_display = ["title", "agreement", "start", "end"]
    # The admin gives no form field to a many-to-many with a through model of its own; shown
    # read-only like every other field here, read through the link table in the promise's
    # municipality (`promise.problems` would join the link table without it, refused on Citus).
    readonly_fields = ["problems_shown"]
    inlines = [VersionInline]

    @admin.display(description=Promise._meta.get_field("problems").verbose_name)
    def problems_shown(self, promise: Promise) -> str:
        return ", ".join(str(problem) for problem in linked(promise, "problems"))


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["promise", "first_day", "last_day", "published_on"]


@admin.register(FollowUpReminder)
class FollowUpReminderAdmin(ReadOnlyAdmin):
    list_display = ["promise", "organisation", "period_last_day", "sent_at", "attempts"]
    list_filter = ["sent_at"]
