"""Pages of the promises app (see urls.py); filled in by its part of the work."""

from django.urls import path  # noqa: F401 -- the patterns below use it

urlpatterns: list = []
