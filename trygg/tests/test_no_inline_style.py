"""Pages are served with a Content-Security-Policy that allows no inline style or script
(settings, CONTENT_SECURITY_POLICY): a `<style>` block, a `style="..."` attribute or an inline
`<script>` in a page would be silently dropped by the browser. The PDFs (rendered on the
server, where no policy applies) may keep theirs."""

from __future__ import annotations

import re
from pathlib import Path

TRYGG = Path(__file__).resolve().parent.parent
INLINE = re.compile(r"<style|\sstyle=\"|<script(?![^>]*\ssrc=)[^>]*>")


def page_templates() -> list[Path]:
    return [
        path
        for path in TRYGG.rglob("templates/**/*.html")
        if '{% extends "base.html" %}' in path.read_text(encoding="utf-8")
    ]


def test_no_page_carries_inline_style_or_script():
    pages = page_templates()
    assert len(pages) > 50  # the scan finds the pages, not nothing
    offending = [
        f"{path.relative_to(TRYGG)}: {match.group(0)!r}"
        for path in pages
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []
