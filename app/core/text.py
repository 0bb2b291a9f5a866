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
_INVISIBLE_SPACES = frozenset("\u200b\u2060\ufeff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(value: str | None) -> str | None:
    """Normalise text to NFC, drop invisible format characters, trim the ends.

    Control characters become spaces, so that a stray NUL never glues two
    words together; format characters (bidirectional overrides, zero-width
    spaces) are dropped, since they only change how text looks.
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value).replace("Ð", "Đ").replace("ð", "đ")
    # A zero-width space may be all that parts two words; other format
    # characters only change how text looks.
    text = "".join(
        " " if c in _INVISIBLE_SPACES else c
        for c in text
        if c in _INVISIBLE_SPACES or unicodedata.category(c) != "Cf"
    )
    return _CONTROL.sub(" ", text).strip()


def has_surrogates(value: str) -> bool:
    """Tell whether text holds lone UTF-16 surrogates (not encodable)."""
    return any("\ud800" <= c <= "\udfff" for c in value)


def squeeze(value: str | None) -> str | None:
    """Normalise text to NFC and collapse runs of white space to one space."""
    text = nfc(value)
    return None if text is None else _SPACES.sub(" ", text)


def fold(value: str | None) -> str:
    """Return the folded search key: no marks, "đ" as "d", lower case."""
    if not value:
        return ""
    # "Ð" (eth) stands in for "Đ" in text converted from old Vietnamese fonts.
    for stroke in "đĐÐð":
        value = value.replace(stroke, "d")
    decomposed = unicodedata.normalize("NFD", value)
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


# The Vietnamese alphabet, where ă, â, đ, ê, ô, ơ, ư are letters of their
# own, with the Latin letters Vietnamese does not use in their usual place.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Dictionary order of the tones: level, grave, hook, tilde, acute, dot below.
_TONE_RANK = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def vietnamese_sort_key(name: str | None) -> str:
    """Return a key that sorts names the Vietnamese way, by given name.

    The given name (the last word) comes first, then the family and middle
    names; letters compare in the Vietnamese alphabet and tones break ties.
    The key is plain ASCII, so a binary collation sorts it right.
    """
    words = (squeeze(name) or "").casefold().split(" ")
    if len(words) > 1:
        words = words[-1:] + words[:-1]
    return _collate(words)


def vietnamese_collation_key(text: str | None) -> str:
    """Return a key that sorts any text in Vietnamese alphabetical order."""
    return _collate((squeeze(text) or "").casefold().split(" "))


def _collate(words: list[str]) -> str:
    letters: list[str] = []
    for word in words:
        tone = "0"
        for char in unicodedata.normalize("NFD", word):
            if char in _TONE_MARKS_RANKED:
                tone = _TONE_RANK[char]
            elif unicodedata.combining(char):
                letters[-1:] = [_compose_rank(letters[-1:], char)]
            else:
                rank = _LETTER_RANK.get(char)
                letters.append(chr(0x41 + rank) if rank is not None else _other(char))
        # The tone digit sorts below every letter: "An" before "Anh", and
        # "Dung" before "Dũng" before the family name is looked at.
        letters.append(tone + " ")
    return "".join(letters).rstrip()[:400]


_TONE_MARKS_RANKED = frozenset(_TONE_RANK)
# Base letter plus its mark (breve, circumflex, horn, stroke) to a letter.
_MARKED_LETTERS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_RANK_LETTER = {chr(0x41 + index): letter for letter, index in _LETTER_RANK.items()}


def _compose_rank(previous: list[str], mark: str) -> str:
    if not previous:
        return ""
    base = _RANK_LETTER.get(previous[0])
    letter = _MARKED_LETTERS.get((base, mark))
    return chr(0x41 + _LETTER_RANK[letter]) if letter else previous[0]


def _other(char: str) -> str:
    # Digits sort after the letters, anything else after the digits.
    if char.isascii() and char.isdigit():
        return chr(0x62 + int(char))
    return "~"


def keep_tail_together(value: str | None, words: int = 3) -> str:
    """Bind the last words of a heading with no-break spaces.

    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" then wraps before "HÀNH", never
    between "HÀNH" and "CHÍNH".
    """
    parts = (value or "").split(" ")
    if len(parts) <= words:
        return value or ""
    return " ".join(parts[:-words]) + " " + "\u00a0".join(parts[-words:])
