"""The residents' pages: reporting without an account and following a report (public), the
moderation queue (staff)."""

app_name = "citizens"

urlpatterns: list = []
