"""/tillganglighet/: the accessibility statement, open to everyone (trygg/core/accessibility.py
says where its list of gaps comes from)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from trygg.core.accessibility import AXE_TAGS, CHECKED_PAGES, contact, read_results


@require_safe
def accessibility_statement(request):
    results = read_results()
    context = {
        "results": results,
        "checked_pages": CHECKED_PAGES,
        "contact": contact(),
        "tags": AXE_TAGS,
    }
    return render(request, "core/accessibility.html", context)
