"""The Purple Flag pages under /purple-flag/."""

from django.urls import path

from trygg.purpleflag import views

app_name = "purpleflag"

urlpatterns = [
    path("", views.year_list, name="list"),
    path("nytt/", views.year_new, name="new"),
    path("<int:pk>/", views.year_detail, name="detail"),
    path("<int:pk>/steg/", views.year_step, name="step"),
    path("<int:pk>/bedomning/", views.assessment, name="assessment"),
    path("<int:pk>/vandringar/", views.walk_link, name="walk_link"),
    path("<int:pk>/vandringar/<int:walk_pk>/ta-bort/", views.walk_unlink, name="walk_unlink"),
    path("<int:pk>/atgarder/", views.measure_tag, name="measure_tag"),
    path("<int:pk>/atgarder/<int:tag_pk>/ta-bort/", views.measure_untag, name="measure_untag"),
    path("<int:pk>/utskrift/", views.year_print, name="print"),
]
