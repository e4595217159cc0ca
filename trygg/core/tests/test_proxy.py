"""Behind a proxy, REMOTE_ADDR is the client's from the header the proxy sets, and only then."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from trygg.core.proxy import ClientAddressMiddleware


def address_seen(settings, header: str, **meta) -> str:
    settings.TRYGG_CLIENT_ADDRESS_HEADER = header
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    ClientAddressMiddleware(view)(RequestFactory().get("/", **meta))
    return seen["address"]


def test_the_address_comes_from_the_named_header(settings):
    assert address_seen(settings, "X-Real-IP", HTTP_X_REAL_IP="198.51.100.7") == "198.51.100.7"


def test_without_the_setting_a_header_sent_by_the_client_is_ignored(settings):
    assert address_seen(settings, "", HTTP_X_REAL_IP="198.51.100.7") == "127.0.0.1"


def test_a_header_that_is_not_an_address_changes_nothing(settings):
    assert address_seen(settings, "X-Real-IP", HTTP_X_REAL_IP="<script>") == "127.0.0.1"
