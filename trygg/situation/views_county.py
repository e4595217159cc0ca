"""The county view (/lan/<kod>/): aggregates for regional coordination, decision 0035."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from trygg.organisations.access import access_for
from trygg.situation import county
from trygg.situation.public import few_text, top_categories, top_category_field, year_field


class CountyForm(forms.Form):
    """Year and top-level category, from the query string (links can be shared)."""

    ar = year_field(
        gettext_lazy("Det finns inga händelser i länet år %(value)s. Välj ett år i listan.")
    )
    kategori = top_category_field()

    def __init__(self, data, *, years, categories):
        data = data.copy()
        if not data.get("ar"):
            data["ar"] = str(years[0])
        super().__init__(data)
        self.categories = {category.code: category for category in categories}
        self.fields["ar"].choices = [(year, str(year)) for year in years]
        self.fields["kategori"].choices = [("", _("Alla kategorier"))] + [
            (category.code, category.name) for category in categories
        ]


@require_GET
@login_required
def county_index(request):
    """The counties this user coordinates regionally: straight to the one, or a list."""
    codes = sorted(access_for(request.user).county_codes)
    if len(codes) == 1:
        return redirect("county:page", kod=codes[0])
    if not codes:
        raise PermissionDenied(_("Du har ingen roll för regional samordning i något län."))
    rows = [(code, county.county_name(code)) for code in codes]
    return render(request, "situation/county_index.html", {"counties": rows})


@require_GET
@login_required
def county_page(request, kod: str):
    """Events per municipality, category and month in one county, suppressed; CSV too."""
    name = county.county_name(kod)
    if name is None:
        raise Http404(_("Det finns inget län med koden %(kod)s.") % {"kod": kod})
    if not access_for(request.user).can_view_county(kod):
        raise PermissionDenied(_("Länets sammanställning är för regional samordning."))
    today = timezone.localdate()
    tops, top_of = top_categories()
    form = CountyForm(request.GET, years=county.years(kod, today), categories=tops)
    wants_csv = request.GET.get("format") == "csv"
    if not form.is_valid():
        if wants_csv:
            errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        context = {"form": form, "name": name, "kod": kod}
        return render(request, "situation/county.html", context, status=400)
    view = county.build(
        kod,
        name,
        form.cleaned_data["ar"],
        form.categories.get(form.cleaned_data.get("kategori") or ""),
        tops=tops,
        top_of=top_of,
        today=today,
        threshold=settings.TRYGG_SUPPRESSION_THRESHOLD,
    )
    if wants_csv:
        return county.csv_response(view, view.table(request.GET.get("tabell", "")))
    context = {
        "form": form,
        "name": name,
        "kod": kod,
        "view": view,
        "tables": [view.by_municipality, view.by_category],
        "few": few_text(view.threshold),
    }
    return render(request, "situation/county.html", context)
