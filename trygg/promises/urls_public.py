"""Public pages, no login, under /oppen/loften/: the municipality's current promise, its
history and its published follow-ups. Only adopted versions and published follow-ups."""

from django.urls import path  # noqa: F401 -- the patterns below use it

app_name = "public_promises"

urlpatterns: list = []
