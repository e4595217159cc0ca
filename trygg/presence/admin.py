"""The admin reads groups, shifts and series; it does not write them. Every write goes through
the actions (who may, the checks, the audit rows), so everything here is read-only."""

from django.contrib import admin

from trygg.places.sharded_admin import ShardedListAdmin
from trygg.presence.models import PresenceGroup, Shift, ShiftSeries


class ReadOnlyAdmin(ShardedListAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PresenceGroup)
class PresenceGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "organisation", "municipality", "active"]
    list_filter = ["kind", "active", "municipality"]


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ["group", "area", "starts_at", "ends_at", "people", "state"]
    list_filter = ["state", "municipality"]
    date_hierarchy = "starts_at"


@admin.register(ShiftSeries)
class ShiftSeriesAdmin(ReadOnlyAdmin):
    list_display = ["group", "area", "first_day", "weeks", "start_time", "end_time"]
