"""The client's address behind a reverse proxy. gunicorn on a unix socket sees no address at
all, and on 127.0.0.1 only the proxy's, so every resident would share one ceiling for reports
(citizens' throttle) and a lockout would follow a user name rather than a user name and an
address (django-axes). Both read REMOTE_ADDR; this puts the client's address there.

Only from the header named in TRYGG_CLIENT_ADDRESS_HEADER, and only a header the proxy sets and
overwrites (nginx: `proxy_set_header X-Real-IP $remote_addr`): otherwise a client could claim
any address it likes.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        header = settings.TRYGG_CLIENT_ADDRESS_HEADER
        self.key = meta_key(header) if header else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.key:
            given = request.META.get(self.key, "").strip()
            # No header, or not an address: the proxy is misconfigured; REMOTE_ADDR stays.
            with contextlib.suppress(ValueError):
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(given))
        return self.get_response(request)
