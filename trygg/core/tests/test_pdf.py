"""One way to send a document as PDF: the download, and the 503 page where Pango is missing."""

from __future__ import annotations

import builtins

import pytest
from django.test import RequestFactory

from trygg.core.pdf import pdf_response


def test_a_document_is_a_pdf_download_with_its_file_name(db):
    request = RequestFactory().get("/")
    response = pdf_response(request, "pdf_unavailable.html", {}, filename="lagesbild-1780.pdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint cannot load Pango here")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="lagesbild-1780.pdf"'
    assert response.content.startswith(b"%PDF")


def test_without_pango_the_answer_is_503_with_the_reason(db, monkeypatch):
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    response = pdf_response(RequestFactory().get("/"), "pdf_unavailable.html", {}, filename="x.pdf")
    assert response.status_code == 503
    assert "Pango" in response.content.decode()
