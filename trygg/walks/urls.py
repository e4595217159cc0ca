"""The walks' pages under /vandringar/: planning, the field page, the protocol, the answers,
the comparison. The public pages are mounted by the project (trygg/urls.py)."""

from django.urls import path

from trygg.walks import (
    views_answers,
    views_compare,
    views_field,
    views_photos,
    views_plan,
    views_protocol,
    views_public,
    views_review,
)

app_name = "walks"

urlpatterns = [
    path("foto/<int:pk>/", views_photos.finding_photo, name="photo"),
    # planning (views_plan.py)
    path("", views_plan.walk_list, name="list"),
    path("ny/", views_plan.walk_new, name="new"),
    path("<int:pk>/", views_plan.walk_detail, name="detail"),
    path("<int:pk>/andra/", views_plan.walk_edit, name="edit"),
    path("<int:pk>/rutt/", views_plan.walk_stops, name="stops"),
    path("<int:pk>/inbjudna/", views_plan.walk_invitations, name="invitations"),
    path("<int:pk>/deltagare/", views_plan.walk_participants, name="participants"),
    path("<int:pk>/genomford/", views_plan.walk_mark_walked, name="mark_walked"),
    path("checklistor/", views_plan.template_list, name="templates"),
    path("checklistor/<int:pk>/", views_plan.template_edit, name="template"),
    path("checklistor/<int:pk>/kopiera/", views_plan.template_copy, name="template_copy"),
    path("<int:pk>/jamforelse/", views_compare.compare, name="compare"),
    path("<int:pk>/publicera/", views_public.publish, name="publish"),
    path("<int:pk>/avpublicera/", views_public.unpublish, name="unpublish"),
    # After the walk: the coordinator's review, the protocol and its versions, the answers.
    path("<int:pk>/granskning/", views_review.review_page, name="review"),
    path("<int:pk>/granskning/bekrafta-alla/", views_review.confirm_all, name="review_confirm_all"),
    path(
        "<int:pk>/granskning/<int:finding_pk>/ansvar/",
        views_review.confirm,
        name="review_confirm",
    ),
    path(
        "<int:pk>/granskning/<int:finding_pk>/status/",
        views_review.finding_status,
        name="review_status",
    ),
    path(
        "<int:pk>/granskning/foto/<int:photo_pk>/", views_review.photo_review, name="review_photo"
    ),
    path("<int:pk>/protokoll/", views_protocol.protocol_page, name="protocol"),
    path("<int:pk>/protokoll/pdf/", views_protocol.protocol_pdf, name="protocol_pdf"),
    path("<int:pk>/protokoll/skicka/", views_protocol.send, name="protocol_send"),
    path(
        "<int:pk>/protokoll/v<int:number>/",
        views_protocol.protocol_version,
        name="protocol_version",
    ),
    path(
        "<int:pk>/protokoll/v<int:number>/pdf/",
        views_protocol.protocol_version_pdf,
        name="protocol_version_pdf",
    ),
    path("<int:pk>/uppfoljning/", views_protocol.agenda, name="agenda"),
    path("<int:pk>/uppfoljning/pdf/", views_protocol.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/svar/<int:organisation_pk>/", views_answers.answers_page, name="answers"),
    # The field page for the phones, its manifest, data and service worker.
    path("<int:pk>/falt/", views_field.field, name="field"),
    path("<int:pk>/falt/manifest.webmanifest", views_field.field_manifest, name="field_manifest"),
    path("<int:pk>/falt/data.json", views_field.field_data, name="field_data"),
    path("<int:pk>/falt/sw.js", views_field.field_service_worker, name="field_service_worker"),
]
