"""Turn a form template into PDF bytes."""

from __future__ import annotations

import logging
import threading
from functools import cache

import segno
from flask import render_template

from app.printing import FONTS_DIR

logger = logging.getLogger(__name__)
# Pango's font map is not safe to share between threads while rendering.
_render_lock = threading.Lock()


@cache
def _font_configuration():
    """Make the one FontConfiguration every render reuses (flat memory)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def qr_data_uri(text: str) -> str:
    """Draw a QR code of the text as an SVG data URI."""
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=1)


def render_pdf(template: str, *, title: str, author: str, **context) -> bytes:
    """Render a form template to PDF bytes."""
    from weasyprint import HTML

    # The template's <title> and <meta name="author"> become PDF metadata.
    html = render_template(template, title=title, author=author, **context)
    document = HTML(string=html, base_url=str(FONTS_DIR))
    with _render_lock:
        pdf = document.write_pdf(font_config=_font_configuration())
    logger.info("PDF rendered", extra={"template": template, "bytes": len(pdf)})
    return pdf
