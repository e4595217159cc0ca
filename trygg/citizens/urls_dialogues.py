"""The citizen dialogue pages (/dialoger/): staff only, each page checks who may read or write."""

from django.urls import path

from trygg.citizens import views_dialogues as views

app_name = "dialogues"

urlpatterns: list = [
    path("", views.dialogue_list, name="list"),
    path("ny/", views.dialogue_new, name="new"),
    path("sammanstallning/", views.summary, name="summary"),
    path("<int:pk>/", views.dialogue_detail, name="detail"),
    path("<int:pk>/andra/", views.dialogue_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.dialogue_delete, name="delete"),
    path("<int:pk>/teman/", views.dialogue_mentions, name="mentions"),
    path("<int:pk>/citat/", views.quote_add, name="quote_add"),
    path("<int:pk>/citat/<int:quote_pk>/ta-bort/", views.quote_remove, name="quote_remove"),
]
