from django.contrib import admin

from trygg.events import retention
from trygg.events.models import Category, Event, ImportRun, PoliceEventType, RetentionPolicy
from trygg.places.sharded_admin import ShardedListAdmin, ShardSafeAdmin


@admin.register(Category)
class CategoryAdmin(ShardSafeAdmin):
    list_display = ["code", "name_sv", "name_en", "parent", "is_checklist", "is_active"]
    list_filter = ["is_checklist", "is_active"]
    search_fields = ["code", "name_sv", "name_en"]


@admin.register(PoliceEventType)
class PoliceEventTypeAdmin(ShardSafeAdmin):
    list_display = ["name", "category", "is_summary"]
    search_fields = ["name"]


@admin.register(ImportRun)
class ImportRunAdmin(ShardSafeAdmin):
    list_display = ["started_at", "importer", "file_name", "records", "created", "already_present"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]


@admin.register(Event)
class EventAdmin(ShardedListAdmin):
    # Events are written through actions (scrubbing, audit); the admin only reads them.
    list_display = ["occurred_from", "category", "municipality", "area", "organisation", "source"]
    list_filter = ["source", "visibility", "status"]
    list_select_related = ["category", "municipality", "area", "organisation"]
    date_hierarchy = "occurred_from"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(ShardedListAdmin):
    list_display = ["municipality", "text_months", "position_months"]
    list_select_related = ["municipality"]
    raw_id_fields = ["municipality"]

    def get_readonly_fields(self, request, obj=None):
        return ["municipality"] if obj else []

    def save_model(self, request, obj, form, change):
        # Through the action, as on the coordinators' page: checked and audited.
        policy = retention.set_policy(
            obj.municipality, obj.text_months, obj.position_months, acting_user=request.user
        )
        obj.pk = policy.pk

    def has_delete_permission(self, request, obj=None):
        # Removing a municipality's limits would be a change nobody audited; set them instead.
        return False
