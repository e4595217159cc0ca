"""The staff page for the queues (/admin/koer/): jobs and e-mails waiting or failed, the last
error and the worker's last beat. System staff only (`is_staff`), through the admin's own check,
so a coordinator without it is sent to the admin's login like on any admin page."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from trygg.core.queues import queues


@never_cache
def queues_page(request: HttpRequest) -> HttpResponse:
    context = {**admin.site.each_context(request), **queues(), "title": _("Köer")}
    return render(request, "core/queues.html", context)


# admin_view: the admin's staff check and login redirect, and no caching of the answer.
staff_queues_page = admin.site.admin_view(queues_page)
