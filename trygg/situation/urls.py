from django.urls import path

from trygg.situation import views, views_annual

app_name = "situation"

urlpatterns = [
    path("", views.situation_page, name="page"),
    path("hotspots.json", views.hotspots, name="hotspots"),
    path("underlag/", views.packs, name="packs"),
    path("underlag/<int:pk>/", views.pack_detail, name="pack"),
    path("underlag/<int:pk>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("ar/", views_annual.annual_list, name="annual_list"),
    path("ar/<int:pk>/", views_annual.annual_detail, name="annual"),
    path("ar/<int:pk>/version/<int:number>/", views_annual.annual_version, name="annual_version"),
    path("ar/<int:pk>/version/<int:number>/pdf/", views_annual.annual_pdf, name="annual_pdf"),
]
