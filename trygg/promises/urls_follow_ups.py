"""Follow-ups of a promise: the periods, each commitment's status, publication."""

from django.urls import path

from trygg.promises import views_follow_ups as views

urlpatterns = [
    path("lofte/<int:pk>/uppfoljning/", views.follow_ups, name="follow_ups"),
    path("lofte/<int:promise_pk>/uppfoljning/<int:pk>/", views.follow_up, name="follow_up"),
]
