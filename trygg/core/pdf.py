"""Documents as PDF: a template rendered to HTML, turned into PDF by WeasyPrint, sent as a
download. WeasyPrint needs the Pango library from the system; where it is missing the pages
still work and the PDF links answer 503 with a page that says why there is no PDF."""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

log = logging.getLogger(__name__)


def render_pdf(template: str, context: dict, request) -> bytes | None:
    """The template rendered to PDF bytes, or None when WeasyPrint cannot run here."""
    try:
        from weasyprint import HTML
    except OSError as error:  # the Python package is there, the system library is not
        log.warning("WeasyPrint cannot load its system libraries: %s", error)
        return None
    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def pdf_response(request, template: str, context: dict, *, filename: str) -> HttpResponse:
    """The document as a download named `filename`, or the 503 page saying why not."""
    document = render_pdf(template, context, request)
    if document is None:
        return render(request, "pdf_unavailable.html", status=503)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
