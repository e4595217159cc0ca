"""The walks' pages under /vandringar/: planning, the field page, the protocol, the answers,
the comparison. The public pages are mounted by the project (trygg/urls.py)."""

app_name = "walks"

urlpatterns: list = []
