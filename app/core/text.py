"""Vietnamese text: NFC on the way in, folded and exact keys for search.

Vietnamese may be typed in NFD, with the tone mark on either vowel of a
pair ("hoà" and "hòa"), or without diacritics at all. Two keys make every
form findable: the folded key drops every mark and turns "đ" into "d"; the
exact key keeps the letters' own marks but moves each tone mark to the end
of its word, so that both placements compare equal.
"""

from __future__ import annotations

import re
import unicodedata

# The five tone marks, as combining characters.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(value: str | None) -> str | None:
    """Normalise text to NFC, drop control characters, trim the ends."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value)
    return _CONTROL.sub("", text).strip()


def squeeze(value: str | None) -> str | None:
    """Normalise text to NFC and collapse runs of white space to one space."""
    text = nfc(value)
    return None if text is None else _SPACES.sub(" ", text)


def fold(value: str | None) -> str:
    """Return the folded search key: no marks, "đ" as "d", lower case."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.casefold()).strip()


def exact_key(value: str | None) -> str:
    """Return the exact search key: marks kept, tone marks at word ends."""
    if not value:
        return ""
    words = []
    for word in _SPACES.split(unicodedata.normalize("NFD", value).casefold()):
        if not word:
            continue
        tones = "".join(c for c in word if c in TONE_MARKS)
        letters = "".join(c for c in word if c not in TONE_MARKS)
        words.append(unicodedata.normalize("NFC", letters) + tones)
    return " ".join(words)


def mask_digits(value: str | None, visible: int = 3) -> str:
    """Hide all but the last few digits of an identifier for lists."""
    if not value:
        return ""
    return "•" * max(len(value) - visible, 0) + value[-visible:]
