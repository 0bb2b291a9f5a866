"""Read printed PDFs back as text, the way a search index would see them."""

import io
import re
import unicodedata

from pypdf import PdfReader


def page_texts(data: bytes) -> list[str]:
    """Return each page's text, NFC-normalised, with whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return [_clean(page.extract_text()) for page in reader.pages]


def pdf_text(data: bytes) -> str:
    """Return the whole document's text, NFC-normalised, whitespace collapsed."""
    return " ".join(page_texts(data))


def page_size(data: bytes, number: int = 0) -> tuple[float, float]:
    """Return a page's width and height in points."""
    box = PdfReader(io.BytesIO(data)).pages[number].mediabox
    return float(box.width), float(box.height)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
