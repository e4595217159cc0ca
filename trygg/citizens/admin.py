"""Admin for the residents' app: Open311 client applications and their keys.

A key is made when a client is added (or replaced with the action) and shown once, in the
message after saving; only its hash is stored, so a lost key is replaced, not looked up."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.citizens.models import Open311Client
from trygg.citizens.open311.keys import create_client, replace_key
from trygg.core.audit import record_changes
from trygg.places.sharded_admin import ShardedListAdmin


def _show_once(request, client: Open311Client, raw_key: str) -> None:
    messages.warning(
        request,
        _("API-nyckel för %(client)s: %(key)s — kopiera den nu, den visas inte igen.")
        % {"client": client.name, "key": raw_key},
    )


@admin.register(Open311Client)
class Open311ClientAdmin(ShardedListAdmin):
    list_display = [
        "name",
        "municipality",
        "key_prefix",
        "is_active",
        "posts_per_hour",
        "created_at",
    ]
    list_filter = ["is_active"]
    list_select_related = ["municipality"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at"]
    fields = ["name", "municipality", "is_active", "posts_per_hour", "key_prefix", "created_at"]
    actions = ["replace_keys"]

    def save_model(self, request, obj, form, change):
        if change:
            before = Open311Client.objects.get(pk=obj.pk)
            obj.save()
            record_changes(
                request.user,
                obj,
                {name: (getattr(before, name), getattr(obj, name)) for name in form.changed_data},
            )
            return
        # Through the action: the key is made there, and only its hash is kept.
        client, raw_key = create_client(
            request.user,
            name=obj.name,
            municipality=obj.municipality,
            posts_per_hour=obj.posts_per_hour,
        )
        if not obj.is_active:
            client.is_active = False
            client.save(update_fields=["is_active"])
        obj.pk, obj.key_hash, obj.key_prefix = client.pk, client.key_hash, client.key_prefix
        obj.created_at = client.created_at
        _show_once(request, client, raw_key)

    @admin.action(description=gettext_lazy("Ersätt nyckeln (den gamla slutar gälla)"))
    def replace_keys(self, request, queryset):
        for client in queryset:
            _show_once(request, client, replace_key(request.user, client))
