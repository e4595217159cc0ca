"""HTML to PDF with WeasyPrint. WeasyPrint needs the Pango library from the system; where it
is missing the pages still work and the PDF links say why there is no PDF."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def render(template: str, context: dict, request) -> bytes | None:
    """The template rendered to PDF bytes, or None when WeasyPrint cannot run here."""
    try:
        from weasyprint import HTML
    except OSError as error:  # the Python package is there, the system library is not
        log.warning("WeasyPrint cannot load its system libraries: %s", error)
        return None
    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
