"""The named moderators of a municipality (/rapportera/granska/granskare/): for its
coordinators, who see the list, name one more among the members of the municipality's
organisations, and remove one. Parse, check, call `actions/moderators.py`, render."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from trygg.citizens.actions import moderators as actions
from trygg.citizens.models import ReportModerator
from trygg.citizens.receiving import receiving_municipalities
from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.organisations.models import Membership
from trygg.organisations.shards import own_first_or_404
from trygg.organisations.tenancy import first_choice
from trygg.places.models import Municipality


class MemberChoiceField(forms.ModelChoiceField):
    """A user, shown with the municipality's organisations they belong to."""

    organisations: dict[int, list[str]] = {}

    def label_from_instance(self, obj) -> str:
        return _with_organisations(obj, self.organisations)


class NameModeratorForm(forms.Form):
    user = MemberChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Välj person"),
        help_text=gettext_lazy("Medlemmar i kommunens organisationer som inte redan är granskare."),
        error_messages={"required": gettext_lazy("Välj vem som ska granska.")},
    )

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(MemberChoiceField, self.fields["user"])
        field.queryset = actions.candidates(municipality)
        field.organisations = _organisations_by_user(municipality)


def _organisations_by_user(municipality: Municipality) -> dict[int, list[str]]:
    rows = Membership.objects.filter(organisation__municipality=municipality).values_list(
        "user_id", "organisation__name"
    )
    found: dict[int, list[str]] = {}
    for user_id, name in rows.order_by("organisation__name"):
        found.setdefault(user_id, []).append(name)
    return found


def _with_organisations(user, organisations: dict[int, list[str]]) -> str:
    names = organisations.get(user.pk, [])
    return f"{user.get_username()} ({', '.join(names)})" if names else user.get_username()


def coordinated_municipalities(user) -> list[Municipality]:
    """The municipalities whose moderators `user` manages: 403 for everyone else."""
    access = access_for(user)
    municipalities = receiving_municipalities().only("pk", "code", "name")
    if not access.is_superuser:
        municipalities = municipalities.filter(pk__in=access.coordinated_municipality_ids)
    found = list(municipalities)
    if not found:
        raise PermissionDenied(actions.NOT_A_COORDINATOR)
    return found


def _chosen(request, municipalities: list[Municipality], code: str | None) -> Municipality:
    """The municipality named by `code`, refused (403) if the user does not coordinate it, so a
    moderator is never named in another municipality than the form said; without a code the
    one chosen in the session's switcher, else the first."""
    if code:
        named = next((m for m in municipalities if m.code == code), None)
        if named is None:
            raise PermissionDenied(actions.NOT_A_COORDINATOR)
        return named
    by_id = {m.pk: m for m in municipalities}
    return by_id[first_choice(request, by_id) or municipalities[0].pk]


@require_GET
@login_required
def moderators(request):
    municipalities = coordinated_municipalities(request.user)
    municipality = _chosen(request, municipalities, request.GET.get("kommun"))
    return _render(request, municipalities, municipality)


def _render(request, municipalities, municipality, form=None, status: int = 200):
    named = (
        ReportModerator.objects.filter(municipality=municipality)
        .select_related("user", "named_by")
        .order_by("user__username")
    )
    organisations = _organisations_by_user(municipality)
    context = {
        "municipalities": municipalities,
        "municipality": municipality,
        "rows": [(moderator, organisations.get(moderator.user_id, [])) for moderator in named],
        "form": form or NameModeratorForm(municipality=municipality),
    }
    return render(request, "citizens/moderators.html", context, status=status)


def _back(municipality: Municipality):
    return redirect(f"{reverse('citizens:moderators')}?kommun={municipality.code}")


@require_POST
@login_required
def name(request):
    municipalities = coordinated_municipalities(request.user)
    municipality = _chosen(request, municipalities, request.POST.get("kommun"))
    form = NameModeratorForm(request.POST, municipality=municipality)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            actions.name_moderator(municipality, user, acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s granskar nu invånarnas rapporter i %(kommun)s.")
                % {"user": user.get_username(), "kommun": municipality.name},
            )
            return _back(municipality)
    return _render(request, municipalities, municipality, form, status=400)


@require_POST
@login_required
def remove(request, pk: int):
    moderator = own_first_or_404(
        request.user,
        ReportModerator.objects.select_related("user", "municipality").defer(
            "municipality__geometry"
        ),
        pk=pk,
    )
    actions.remove_moderator(moderator, acting_user=request.user)
    messages.success(
        request,
        _("%(user)s granskar inte längre invånarnas rapporter.")
        % {"user": moderator.user.get_username()},
    )
    return _back(moderator.municipality)
