"""The admin reads agreements, promises and follow-ups; it does not write them. Adoption,
revision and follow-up go through the actions (audit, validation, the kept snapshots), so
everything here is read-only, and the reminders' outbox can be inspected."""

from django.contrib import admin

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
    # read-only like every other field here.
    readonly_fields = ["problems"]
    inlines = [VersionInline]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["promise", "first_day", "last_day", "published_on"]


@admin.register(FollowUpReminder)
class FollowUpReminderAdmin(ReadOnlyAdmin):
    list_display = ["promise", "organisation", "period_last_day", "sent_at", "attempts"]
    list_filter = ["sent_at"]
