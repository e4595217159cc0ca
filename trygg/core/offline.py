"""What every page that works without network shares: its service worker, its web app manifest
and the name of the cache the worker keeps its files in.

A field page (the safety walk's, the shift report's) lives under a URL of its own ending in
`falt/`, with `manifest.webmanifest`, `data.json` and `sw.js` beside it, so the worker served
from there controls the page. The worker keeps the page, the data and the static files
(trygg/templates/trygg/field_sw.js); the things made on the phone are kept by the page in
IndexedDB until the server has them (trygg/static/trygg/outbox.js). After logging out the
login page forgets every kept field page (trygg/static/trygg/forget.js), by the cache prefix
`trygg-field-` and the scope ending in `falt/`.

The cache is named after a hash of the files it keeps and of the worker itself, so a deploy
that changes any of them makes a new worker that replaces the old cache."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import get_template
from django.templatetags.static import static

# Every field page cache starts so; forget.js deletes them all after logging out.
CACHE_PREFIX = "trygg-field-"
SERVICE_WORKER_TEMPLATE = "trygg/field_sw.js"
# What every field page keeps besides its own script: the site's look and the page's.
COMMON_ASSETS = (
    "trygg/trygg.css",
    "trygg/trygg.js",
    "trygg/favicon.svg",
    "trygg/field.css",
    "trygg/outbox.js",
    "trygg/field-icon.svg",
)
ICONS = (
    ("trygg/field-icon-192.png", "192x192", "image/png"),
    ("trygg/field-icon-512.png", "512x512", "image/png"),
    ("trygg/field-icon.svg", "any", "image/svg+xml"),
)
NO_STORE = "private, no-cache"


def service_worker(
    *, key: str, page: str, data: str, manifest: str, assets: tuple[str, ...]
) -> HttpResponse:
    """The worker for a field page at `page`: keeps the page, its data, its manifest and the
    static `assets` in a cache named after the page's `key` ("12" for walk 12) and the
    version of the files, so a new deploy or another page never reads this one's."""
    prefix = f"{CACHE_PREFIX}{key}-"
    constants = {
        "cachePrefix": prefix,
        "cache": prefix + asset_version(assets),
        "page": page,
        "data": data,
        "manifest": manifest,
        "staticPrefix": static(""),
        "precache": [page, data, manifest, *(static(path) for path in assets)],
    }
    body = get_template(SERVICE_WORKER_TEMPLATE).render({"constants": json.dumps(constants)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on each visit; it must not get a stale copy.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = page
    return response


def manifest(*, name: str, short_name: str, start_url: str) -> JsonResponse:
    """The web app manifest: the page installed on the phone's home screen starts itself."""
    body = {
        "name": name,
        "short_name": short_name,
        "lang": "sv",
        "start_url": start_url,
        "scope": start_url,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f3b5c",
        "icons": [
            {"src": static(path), "sizes": sizes, "type": kind, "purpose": "any"}
            for path, sizes, kind in ICONS
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@cache
def asset_version(assets: tuple[str, ...]) -> str:
    """A hash of the kept files and of the worker itself: any change is a new cache."""
    digest = hashlib.sha256()
    # The backend's template wraps Django's, which knows the file it came from.
    template_path = get_template(SERVICE_WORKER_TEMPLATE).template.origin.name  # type: ignore[attr-defined]
    for path in [*(found(asset) for asset in assets), Path(template_path)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def found(asset: str) -> Path:
    """The file of a static path (FileNotFoundError if no app has it)."""
    match = finders.find(asset)
    if not match:
        raise FileNotFoundError(asset)
    return Path(match if isinstance(match, str) else match[0])
