"""URL map: pages per app, the API under /api/v1/, Django's auth and admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from trygg.api import api
from trygg.citizens.views_public import public_reports, public_reports_map
from trygg.citizens.views_residents import residents_hub
from trygg.core.faults import handler500 as database_aware_500
from trygg.core.views import healthz
from trygg.core.views_accessibility import accessibility_statement
from trygg.core.views_queues import staff_queues_page
from trygg.organisations.views import switch_municipality
from trygg.situation.national import national_overview
from trygg.situation.public import public_summary
from trygg.walks.views_public import public_walk, public_walks

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="events:list", permanent=False)),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Staff who work in several municipalities: the one they work in now (decision 0035).
    path("konto/kommun/", switch_municipality, name="switch_municipality"),
    path("handelser/", include("trygg.events.urls")),
    path("lagesbild/", include("trygg.situation.urls")),
    # Regional coordination: a county's aggregates, nothing finer (decision 0035).
    path("lan/", include("trygg.situation.urls_county")),
    path("atgarder/", include("trygg.measures.urls")),
    path("vandringar/", include("trygg.walks.urls")),
    path("matningar/", include("trygg.surveys.urls")),
    # No login: residents report and follow their reports; staff moderate
    # under granska/ (issue 12).
    path("rapportera/", include("trygg.citizens.urls")),
    # Staff at the Trygghetscenter and the partners who take its cases on (issue 12).
    path("trygghetscenter/", include("trygg.citizens.urls_desk")),
    # Staff: citizen dialogues and their summary beside the events (issue 12).
    path("dialoger/", include("trygg.citizens.urls_dialogues")),
    # Staff: the residents' pages above (reports, desk, dialogues), one entry in the menu.
    path("invanare/", residents_hub, name="residents_hub"),
    # Staff: the samverkansöverenskommelse, the evidence, the medborgarlöfte, its follow-ups.
    path("loften/", include("trygg.promises.urls")),
    # Staff: the shared calendar of who is out where in the evening and at night (issue 15).
    path("narvaro/", include("trygg.presence.urls")),
    # Staff: a town centre's Purple Flag certification year (issue 15, point 5).
    path("purple-flag/", include("trygg.purpleflag.urls")),
    # No login: the public summary shows only public events, aggregated and suppressed.
    path("oppen/lagesbild/", public_summary, name="public_summary"),
    path("oppen/sverige/", national_overview, name="national_overview"),
    # No login: published walks only, without pending photos or who captured what.
    path("oppen/vandringar/", public_walks, name="public_walks"),
    path("oppen/vandringar/<int:pk>/", public_walk, name="public_walk"),
    # No login: published residents' reports, positions on a grid, nothing about who sent them.
    path("oppen/rapporter/", public_reports, name="public_reports"),
    path("oppen/rapporter/karta.geojson", public_reports_map, name="public_reports_map"),
    # No login: the current medborgarlöfte, its history and its published follow-ups.
    path("oppen/loften/", include("trygg.promises.urls_public")),
    path("api/v1/", api.urls),
    # Open311 GeoReport v2 for client apps; the jurisdiction_id is the kommunkod.
    path("open311/v2/", include("trygg.citizens.open311.urls")),
    # System staff: the job and e-mail queues and the worker's beat, beside the admin.
    path("admin/koer/", staff_queues_page, name="queues"),
    path("admin/", admin.site.urls),
    # No login: the accessibility statement the law asks for, linked from every page's footer.
    path("tillganglighet/", accessibility_statement, name="accessibility"),
    # No login: whether the database answers and the worker beats, for monitoring.
    path("healthz", healthz, name="healthz"),
]

# A database that went away mid-request is a 503 "try again soon", not a server error.
handler500 = database_aware_500
