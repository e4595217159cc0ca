"""`{% inline_static "app/file.css" %}`: a static file's text, for the PDFs. WeasyPrint renders
on the server and would have to fetch a linked style sheet over HTTP; pages in the browser link
the same file instead, as the Content-Security-Policy allows no inline style there."""

from __future__ import annotations

from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _text(path: str) -> str:
    found = finders.find(path)
    if not found or isinstance(found, list):
        raise template.TemplateSyntaxError(f"inline_static: no static file {path!r}")
    with open(found, encoding="utf-8") as file:
        return file.read()


@register.simple_tag
def inline_static(path: str) -> SafeString:
    # Our own files from the code base, never anything a user wrote.
    return mark_safe(_text(path))  # noqa: S308
