"""Who is responsible for what where: the rules page, editing a rule (admins), and trying the
rules on a category and a place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.measures import access, actions, routing
from trygg.measures.forms import RuleForm, SuggestionForm
from trygg.measures.models import ResponsibilityRule
from trygg.organisations.shards import own_first_or_404
from trygg.situation.access import chosen_municipality


def _municipality_or_403(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(_("Du hör inte till någon organisation i en kommun."))
    return municipality


@require_GET
@login_required
def rule_list(request):
    municipality = _municipality_or_403(request)
    rules = ResponsibilityRule.objects.filter(municipality=municipality).select_related(
        "organisation", "category", "area", "place"
    )
    context = {
        "municipality": municipality,
        "rules": sorted(rules, key=routing.rank, reverse=True),
        "can_edit": access.can_edit_rules(request.user, municipality.pk),
        "try_form": SuggestionForm(municipality=municipality),
        "fallback": routing.coordinating_organisation(municipality.pk),
    }
    return render(request, "measures/rules.html", context)


@require_GET
@login_required
def suggestion(request):
    """Which organisation the rules name for a category at a place, and which rules matched."""
    municipality = _municipality_or_403(request)
    form = SuggestionForm(request.GET, municipality=municipality)
    result = routing.suggest(municipality.pk, **form.cleaned_data) if form.is_valid() else None
    context = {"municipality": municipality, "try_form": form, "result": result}
    return render(request, "measures/suggestion.html", context, status=200 if result else 400)


def _rule_for(request, pk: int) -> ResponsibilityRule:
    rules = ResponsibilityRule.objects.select_related("municipality")
    rule = own_first_or_404(request.user, rules, pk=pk)
    if not access.can_edit_rules(request.user, rule.municipality_id):
        raise PermissionDenied(_("Bara administratörer kan ändra ansvarsreglerna."))
    return rule


@require_http_methods(["GET", "POST"])
@login_required
def rule_create(request):
    municipality = _municipality_or_403(request)
    if not access.can_edit_rules(request.user, municipality.pk):
        raise PermissionDenied(_("Bara administratörer kan ändra ansvarsreglerna."))
    return _rule_form(request, ResponsibilityRule(municipality=municipality))


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request, pk: int):
    return _rule_form(request, _rule_for(request, pk))


def _rule_form(request, rule: ResponsibilityRule):
    form = RuleForm(request.POST or None, instance=rule, municipality=rule.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_rule(form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Regeln är sparad."))
            return redirect(_rules_url(rule))
    context = {"form": form, "rule": rule, "municipality": rule.municipality}
    return render(request, "measures/rule_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def rule_delete(request, pk: int):
    rule = _rule_for(request, pk)
    url = _rules_url(rule)
    actions.delete_rule(rule, acting_user=request.user)
    messages.success(request, _("Regeln är borttagen."))
    return redirect(url)


def _rules_url(rule: ResponsibilityRule) -> str:
    return f"{reverse('measures:rules')}?kommun={rule.municipality_id}"
