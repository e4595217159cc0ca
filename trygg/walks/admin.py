"""The walks in the admin: read-mostly. Walks, findings and answers are written through the
actions (scrubbing, checks, audit); the admin shows them for support and corrects little."""

from django.contrib import admin

from trygg.places.sharded_admin import ShardedListAdmin
from trygg.walks.models import (
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    FindingPhoto,
    FindingScore,
    Invitation,
    ProtocolVersion,
    Walk,
    WalkNotice,
    WalkStop,
)


class ReadOnlyAdmin(ShardedListAdmin):
    """Every field shown, none edited; no adding (rows come from the actions)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class StopInline(ReadOnlyInline):
    model = WalkStop
    fields = ["order", "name", "place", "lat", "lon"]


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = ["organisation", "reason", "created_at"]


@admin.register(Walk)
class WalkAdmin(ReadOnlyAdmin):
    list_display = ["title", "walk_at", "municipality", "area", "light", "status", "organisation"]
    list_filter = ["status", "light", "published_at"]
    list_select_related = ["municipality", "area", "organisation"]
    search_fields = ["title"]
    date_hierarchy = "walk_at"
    inlines = [StopInline, InvitationInline]


class ItemInline(ReadOnlyInline):
    model = ChecklistItem
    fields = ["order", "code", "label", "label_en"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "municipality", "kind", "scale_max", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [ItemInline]


class ScoreInline(ReadOnlyInline):
    model = FindingScore
    fields = ["item", "score"]


class PhotoInline(ReadOnlyInline):
    model = FindingPhoto
    fields = ["image", "review", "reviewed_at"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["walk", "number", "stop", "time_band", "responsible", "received_at"]
    list_select_related = ["walk", "stop", "responsible"]
    inlines = [ScoreInline, PhotoInline]


@admin.register(FindingPhoto)
class FindingPhotoAdmin(ReadOnlyAdmin):
    list_display = ["finding", "review", "reviewed_at"]
    list_filter = ["review"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["finding", "organisation", "kind", "due", "answered_at"]
    list_filter = ["kind"]
    list_select_related = ["finding__walk", "organisation"]


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(ReadOnlyAdmin):
    list_display = ["walk", "number", "created_at"]


@admin.register(WalkNotice)
class WalkNoticeAdmin(ReadOnlyAdmin):
    list_display = ["walk", "organisation", "kind", "created_at", "sent_at", "attempts"]
    list_filter = ["kind"]
