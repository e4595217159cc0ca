"""The login page when django-axes has locked a user name and address out after too many failed
logins (settings: AXES_*): the same page, with a message saying so and for how long."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

# Too Many Requests: the login was refused for the number of attempts, not for the password.
LOCKED_OUT_STATUS = 429


def cool_off_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """Axes' AXES_LOCKOUT_CALLABLE: the login form again, empty but for the user name, with the
    reason. Nothing says whether the user name exists. (Axes logs the lockout itself, with the
    user name and address masked.)"""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = cool_off_minutes()
    form.cleaned_data = {}  # an unbound form has none; add_error looks there
    form.add_error(
        None,
        ngettext(
            "För många misslyckade inloggningar. Vänta %(minutes)d minut och försök igen, "
            "eller kontakta kommunens trygghetssamordnare.",
            "För många misslyckade inloggningar. Vänta %(minutes)d minuter och försök igen, "
            "eller kontakta kommunens trygghetssamordnare.",
            minutes,
        )
        % {"minutes": minutes},
    )
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=LOCKED_OUT_STATUS)
