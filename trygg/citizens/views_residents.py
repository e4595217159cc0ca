"""The "Invånare" hub (/invanare/): the residents' pages this user works with, one entry in the
main menu instead of three (citizens/nav.py says who sees which)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trygg.citizens.nav import residents_entries


@require_GET
@login_required
def residents_hub(request):
    entries = residents_entries(request.user)
    return render(request, "citizens/residents.html", {"entries": entries})
