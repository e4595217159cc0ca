"""The citizen dialogue pages (/dialoger/): the list by period, a new or changed dialogue, the
entry page (themes × areas as counts, and quotes) and the period summary beside the events.
Staff of the municipality read; its coordinators and the organisations present write. Parse,
check, call an action in `actions/dialogues.py`, render."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.citizens.actions import dialogues as actions
from trygg.citizens.dialogue_summary import WHOLE, period_dialogues, summarise
from trygg.citizens.forms_dialogues import (
    NO_WHO,
    DialogueForm,
    PeriodForm,
    QuoteForm,
    cell_name,
    current_areas,
    parse_grid,
)
from trygg.citizens.models import (
    Dialogue,
    DialogueMention,
    DialogueOrganisation,
    DialogueQuote,
    Theme,
)
from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.organisations.shards import children
from trygg.places.models import Area, Municipality
from trygg.situation.access import chosen_municipality

NOT_HERE = gettext_lazy("Du arbetar inte i en kommun med medborgardialoger.")


def _municipality(request) -> Municipality:
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(NOT_HERE)
    return municipality


def _may_record_in(user, municipality: Municipality) -> bool:
    present = actions.present_choices(municipality).values_list("pk", flat=True)
    return actions.may_record(user, municipality.pk, present)


def _dialogue_for(request, pk: int) -> Dialogue:
    """The dialogue if the user may read it, else 404. Its municipality is looked for first
    among the user's own (their shards only), then everywhere (a partner present at another
    municipality's dialogue); the dialogue is then read naming it, so Citus needs one shard."""
    access = access_for(request.user)
    found = Dialogue.objects.filter(pk=pk).values_list("municipality_id", flat=True)
    municipality_id = None
    if not access.is_superuser and access.municipality_ids:
        municipality_id = found.filter(municipality_id__in=list(access.municipality_ids)).first()
    if municipality_id is None:
        municipality_id = found.first()
    if municipality_id is None:
        raise Http404
    dialogues = actions.visible_in(request.user, municipality_id).select_related(
        "municipality", "place", "area"
    )
    return get_object_or_404(dialogues, pk=pk)


def _editable(request, pk: int) -> Dialogue:
    dialogue = _dialogue_for(request, pk)
    actions.check_may_edit(request.user, dialogue)
    return dialogue


# --- the list --------------------------------------------------------------------------------


@require_GET
@login_required
def dialogue_list(request):
    municipality = _municipality(request)
    period = PeriodForm(request.GET)
    start, end = period.period()
    dialogues = list(
        period_dialogues(municipality, start, end)
        .filter(pk__in=actions.visible_in(request.user, municipality.pk).values("pk"))
        .select_related("place", "area")
        .order_by("-held_on", "-pk")
    )
    context = {
        "municipality": municipality,
        "period": period,
        "start": start,
        "end": end,
        "dialogues": _list_rows(dialogues, municipality.pk),
        "can_record": _may_record_in(request.user, municipality),
        "summary_query": _period_query(municipality, start, end),
    }
    return render(request, "citizens/dialogue_list.html", context, status=_status(period))


@dataclass
class ListRow:
    dialogue: Dialogue
    present: list[Organisation]  # by name
    raised: int | None  # None: nothing was raised
    quote_count: int


def _list_rows(dialogues: list[Dialogue], municipality_id: int) -> list[ListRow]:
    """Each dialogue with its organisations present, the number of times anything was raised
    and its quotes.

    Read per table, each query naming the municipality: Citus refuses an outer join between
    two sharded tables, and sums per dialogue need no join (joining mentions and quotes in one
    query would also count each mention once per quote)."""
    ids = [dialogue.pk for dialogue in dialogues]
    if not ids:
        return []
    in_municipality = {"municipality_id": municipality_id, "dialogue_id__in": ids}
    raised = dict(
        DialogueMention.objects.filter(**in_municipality)
        .order_by()
        .values("dialogue_id")
        .annotate(total=Sum("count"))
        .values_list("dialogue_id", "total")
    )
    quotes = dict(
        DialogueQuote.objects.filter(**in_municipality)
        .order_by()
        .values("dialogue_id")
        .annotate(total=Count("pk"))
        .values_list("dialogue_id", "total")
    )
    links = list(
        DialogueOrganisation.objects.filter(**in_municipality).values_list(
            "dialogue_id", "organisation_id"
        )
    )
    organisations = Organisation.objects.in_bulk({org for _dialogue, org in links})
    present: dict[int, list[Organisation]] = {}
    for dialogue_id, org in links:
        present.setdefault(dialogue_id, []).append(organisations[org])
    return [
        ListRow(
            dialogue=dialogue,
            present=sorted(present.get(dialogue.pk, []), key=lambda o: (o.name, o.pk)),
            raised=raised.get(dialogue.pk),
            quote_count=quotes.get(dialogue.pk, 0),
        )
        for dialogue in dialogues
    ]


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _period_query(municipality: Municipality, start, end) -> str:
    return f"kommun={municipality.pk}&fran={start:%Y-%m-%d}&till={end:%Y-%m-%d}"


# --- a new or changed dialogue ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def dialogue_new(request):
    municipality = _municipality(request)
    if not _may_record_in(request.user, municipality):
        raise PermissionDenied(actions.NOT_ALLOWED)
    form = DialogueForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = actions.record_dialogue(
                municipality, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Dialogen är sparad. Fyll i vad som togs upp."))
            return redirect("dialogues:detail", dialogue.pk)
    return _render_form(request, form, municipality, None)


@require_http_methods(["GET", "POST"])
@login_required
def dialogue_edit(request, pk: int):
    dialogue = _editable(request, pk)
    form = DialogueForm(
        request.POST or None,
        municipality=dialogue.municipality,
        dialogue=dialogue,
        initial=DialogueForm.initial_from(dialogue),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_dialogue(dialogue, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("dialogues:detail", dialogue.pk)
    return _render_form(request, form, dialogue.municipality, dialogue)


def _render_form(request, form, municipality, dialogue):
    context = {"form": form, "municipality": municipality, "dialogue": dialogue}
    status = 400 if form.errors else 200
    return render(request, "citizens/dialogue_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def dialogue_delete(request, pk: int):
    dialogue = _editable(request, pk)
    if request.method == "POST":
        municipality_id = dialogue.municipality_id
        actions.delete_dialogue(dialogue, acting_user=request.user)
        messages.success(request, _("Dialogen är borttagen."))
        return redirect(f"{reverse('dialogues:list')}?kommun={municipality_id}")
    return render(request, "citizens/dialogue_delete.html", {"dialogue": dialogue})


# --- the entry page: themes × areas, and quotes ----------------------------------------------


def _columns(dialogue: Dialogue, extra_ids) -> list[tuple[str, Area | None]]:
    """The dialogue's own area first, then the areas its counts and quotes name, then those
    the user added (current areas of the municipality), then the municipality as a whole."""
    wanted: list[int] = [dialogue.area_id] if dialogue.area_id else []
    named = sorted(
        {a for a in actions.mentions_of(dialogue).values_list("area_id", flat=True) if a}
        | {a for a in actions.quotes_of(dialogue).values_list("area_id", flat=True) if a}
    )
    current = set(current_areas(dialogue.municipality).values_list("pk", flat=True))
    added = [pk for pk in extra_ids if pk in current]
    for pk in [*named, *added]:
        if pk not in wanted:
            wanted.append(pk)
    areas = Area.objects.filter(pk__in=wanted).defer("geometry").in_bulk()
    return [(str(pk), areas[pk]) for pk in wanted if pk in areas] + [(WHOLE, None)]


def _extra_ids(data) -> list[int]:
    return [int(v) for v in data.getlist("omrade") if v.isdigit()]


@require_GET
@login_required
def dialogue_detail(request, pk: int):
    dialogue = _dialogue_for(request, pk)
    columns = _columns(dialogue, _extra_ids(request.GET))
    return _render_detail(request, dialogue, columns, _current_values(dialogue))


def _render_detail(
    request, dialogue, columns, values, *, grid_errors=None, grid_message="", quote_form=None
):
    can_edit = actions.may_edit(request.user, dialogue)
    column_areas = [area for _key, area in columns if area is not None]
    areas_qs = Area.objects.filter(pk__in=[a.pk for a in column_areas]) | current_areas(
        dialogue.municipality
    )
    grid_errors = grid_errors or {}
    rows = [
        {
            "theme": value,
            "label": label,
            "cells": [
                {
                    "name": cell_name(value, key),
                    "value": values.get(cell_name(value, key), ""),
                    "error": grid_errors.get(cell_name(value, key), ""),
                    "area": area,
                }
                for key, area in columns
            ],
        }
        for value, label in Theme.choices
    ]
    shown = {a.pk for a in column_areas}
    context = {
        "dialogue": dialogue,
        "place_label": dialogue.place_name or (dialogue.place.name if dialogue.place else ""),
        "organisations": actions.present_organisations(dialogue),
        "columns": columns,
        "rows": rows,
        "grid_errors": grid_errors,
        "grid_message": grid_message,
        "added_ids": [a.pk for a in column_areas],
        "addable": [a for a in current_areas(dialogue.municipality) if a.pk not in shown],
        "quotes": actions.quotes_of(dialogue).select_related("area"),
        "quote_form": quote_form or QuoteForm(areas=areas_qs.distinct(), prefix="citat"),
        "no_who": NO_WHO,
        "can_edit": can_edit,
    }
    status = (
        400
        if grid_errors or grid_message or (quote_form is not None and quote_form.errors)
        else 200
    )
    return render(request, "citizens/dialogue_detail.html", context, status=status)


def _current_values(dialogue: Dialogue) -> dict[str, str]:
    return {
        cell_name(theme, WHOLE if area is None else str(area)): str(n)
        for theme, area, n in actions.mentions_of(dialogue).values_list("theme", "area_id", "count")
    }


@require_POST
@login_required
def dialogue_mentions(request, pk: int):
    dialogue = _editable(request, pk)
    columns = _columns(dialogue, _extra_ids(request.POST))
    grid = parse_grid(request.POST, columns)
    if not grid.errors:
        try:
            actions.set_mentions(dialogue, grid.rows, acting_user=request.user)
        except ValidationError as error:
            message = " ".join(error.messages)
            return _render_detail(request, dialogue, columns, grid.values, grid_message=message)
        messages.success(request, _("Det som togs upp är sparat."))
        return redirect("dialogues:detail", dialogue.pk)
    return _render_detail(request, dialogue, columns, grid.values, grid_errors=grid.errors)


@require_POST
@login_required
def quote_add(request, pk: int):
    dialogue = _editable(request, pk)
    columns = _columns(dialogue, _extra_ids(request.POST))
    areas = Area.objects.filter(pk__in=[a.pk for _k, a in columns if a]) | current_areas(
        dialogue.municipality
    )
    form = QuoteForm(request.POST, areas=areas.distinct(), prefix="citat")
    if form.is_valid():
        try:
            quote = actions.add_quote(dialogue, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            done = _("Citatet är sparat.")
            if getattr(quote, "was_scrubbed", False):
                done = _("Citatet är sparat. Uppgifter som kan peka ut någon togs bort.")
            messages.success(request, done)
            return redirect(f"{reverse('dialogues:detail', args=[dialogue.pk])}#citat")
    values = _current_values(dialogue)
    return _render_detail(request, dialogue, columns, values, quote_form=form)


@require_POST
@login_required
def quote_remove(request, pk: int, quote_pk: int):
    dialogue = _editable(request, pk)
    # In the dialogue's municipality, as every quote of it is: one shard on Citus.
    quote = get_object_or_404(children(dialogue, "quotes"), pk=quote_pk)
    actions.remove_quote(quote, acting_user=request.user)
    messages.success(request, _("Citatet är borttaget."))
    return redirect(f"{reverse('dialogues:detail', args=[dialogue.pk])}#citat")


# --- the period summary ----------------------------------------------------------------------


@require_GET
@login_required
def summary(request):
    municipality = _municipality(request)
    if not access_for(request.user).can_view(municipality.pk):
        raise PermissionDenied(NOT_HERE)
    period = PeriodForm(request.GET)
    start, end = period.period()
    data = summarise(municipality, start, end, request.user)
    if request.GET.get("format") == "csv":
        return _csv(data, quotes=request.GET.get("tabell") == "citat")
    context = {
        "municipality": municipality,
        "period": period,
        "summary": data,
        "rows": [_summary_row(row, data["areas"]) for row in data["themes"]],
        "query": _period_query(municipality, start, end),
    }
    return render(request, "citizens/dialogue_summary.html", context, status=_status(period))


def _summary_row(row: dict, areas: list[dict]) -> dict:
    """A theme's row with its per-area figures in column order, for the template."""
    events = row["events_by_area"]
    return row | {
        "cells": [
            {
                "mentions": row["mentions_by_area"][area["key"]],
                "events": None if events is None else events[area["key"]],
            }
            for area in areas
        ]
    }


def _csv(data: dict, *, quotes: bool) -> HttpResponse:
    """UTF-8 with BOM and `;`, as the lägesbild's tables, for Excel."""
    kind = "citat" if quotes else "teman"
    name = f"medborgardialoger-{data['municipality']['code']}-{data['start']}-{data['end']}-{kind}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    if quotes:
        writer.writerow([_("Tema"), _("Dag"), _("Område"), _("Citat")])
        for row in data["themes"]:
            for quote in row["quotes"]:
                writer.writerow(
                    [row["label"], quote["held_on"], _cell(quote["area"]), _cell(quote["text"])]
                )
        return response
    areas = data["areas"]
    writer.writerow(
        [_("Rang"), _("Tema"), _("Tagit upp"), _("Händelser")]
        + [_("Tagit upp: %(area)s") % {"area": a["name"]} for a in areas]
        + [_("Händelser: %(area)s") % {"area": a["name"]} for a in areas]
    )
    for row in data["themes"]:
        events = row["events_by_area"] or {}
        writer.writerow(
            [row["rank"] or "", row["label"], row["mentions"], _blank(row["events"])]
            + [row["mentions_by_area"][a["key"]] for a in areas]
            + [_blank(events.get(a["key"])) for a in areas]
        )
    return response


def _blank(value) -> str:
    return "" if value is None else str(value)


def _cell(text: str) -> str:
    # A text starting with = + - @ would be run as a formula by a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
