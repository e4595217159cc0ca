"""The municipality switcher for users whose organisations work in several municipalities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.organisations.tenancy import choose_municipality


@require_POST
@login_required
def switch_municipality(request):
    """POST kommun=<id>, nasta=<path>: work in that municipality from now on (this session)."""
    target = request.POST.get("nasta") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    try:
        municipality_id = int(request.POST.get("kommun") or 0)
    except ValueError:
        municipality_id = 0
    if not choose_municipality(request, municipality_id):
        # Nothing kept: the session stays on the municipality it was on.
        raise PermissionDenied(_("Du arbetar inte i den kommunen. Välj en av dina kommuner."))
    messages.success(request, _("Du arbetar nu i den valda kommunen."))
    return redirect(target)
