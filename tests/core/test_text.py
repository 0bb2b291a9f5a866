"""Vietnamese folding: NFC, diacritics, đ, and tone placement."""

import unicodedata

import pytest

from app.core.text import exact_key, fold, nfc, squeeze


@pytest.mark.parametrize(
    "typed",
    [
        "Nguyễn Thị Thuỷ",
        "Nguyễn Thị Thủy",
        "nguyen thi thuy",
        "NGUYỄN THỊ THUỶ",
        unicodedata.normalize("NFD", "Nguyễn Thị Thuỷ"),
    ],
)
def test_every_way_of_typing_a_name_folds_to_the_same_key(typed):
    assert fold(typed) == "nguyen thi thuy"


def test_d_with_stroke_folds_to_d():
    assert fold("Đặng Đình Đức") == "dang dinh duc"


@pytest.mark.parametrize(
    ("one", "other"),
    [("hoà", "hòa"), ("Thuỷ", "Thủy"), ("khoẻ", "khỏe"), ("quý", "qúy")],
)
def test_either_tone_placement_gives_the_same_exact_key(one, other):
    assert exact_key(one) == exact_key(other)


def test_exact_key_keeps_letters_apart_that_folding_merges():
    assert exact_key("Thủy") != exact_key("Thúy")
    assert exact_key("Đức") != exact_key("Dức")
    assert fold("Thủy") == fold("Thúy")


def test_nfc_turns_decomposed_text_into_composed_text():
    decomposed = unicodedata.normalize("NFD", "Vĩnh Yên")

    assert nfc(decomposed) == "Vĩnh Yên"
    assert len(nfc(decomposed)) == len("Vĩnh Yên")


def test_squeeze_collapses_spaces_and_drops_control_characters():
    assert squeeze("  Nguyễn \t Văn\x00  An ") == "Nguyễn Văn An"
