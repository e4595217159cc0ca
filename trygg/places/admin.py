from django.contrib import admin

from trygg.places.index import forget_cached_boundaries
from trygg.places.models import Area, Municipality, Place
from trygg.places.sharded_admin import ShardSafeAdmin


@admin.register(Municipality)
class MunicipalityAdmin(ShardSafeAdmin):
    list_display = ["name", "code", "county_code"]
    search_fields = ["name", "code"]
    exclude = ["geometry"]


@admin.register(Area)
class AreaAdmin(ShardSafeAdmin):
    list_display = ["name", "kind", "municipality", "valid_from", "valid_to"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "code"]

    # Events get their area when written: new boundaries must reach the index at once.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_cached_boundaries()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_cached_boundaries()


@admin.register(Place)
class PlaceAdmin(ShardSafeAdmin):
    list_display = ["name", "kind", "area", "manager", "municipality"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name"]
    autocomplete_fields = ["manager"]
    readonly_fields = ["x", "y", "area"]
