"""The admin's view of surveys: questionnaires and their items (answer options and how they
count, as JSON), surveys with their frame. Responses are imported, never edited here."""

from django.contrib import admin

from trygg.places.sharded_admin import ShardedListAdmin, ShardSafeAdmin
from trygg.surveys.models import FrameArea, Item, Questionnaire, Survey


class ItemInline(admin.StackedInline):
    model = Item
    extra = 0
    fields = [
        "order",
        "code",
        "kind",
        "label",
        "text",
        "options",
        "share_label",
        "has_index",
        "category_codes",
    ]


@admin.register(Questionnaire)
class QuestionnaireAdmin(ShardSafeAdmin):
    list_display = ["name", "code", "version"]
    inlines = [ItemInline]


class FrameAreaInline(admin.TabularInline):
    model = FrameArea
    extra = 0
    fields = ["area", "sample_size"]
    raw_id_fields = ["area"]


@admin.register(Survey)
class SurveyAdmin(ShardedListAdmin):
    list_display = ["name", "year", "municipality", "questionnaire"]
    list_filter = ["year", "municipality"]
    inlines = [FrameAreaInline]
    readonly_fields = ["created_by", "created_at"]
