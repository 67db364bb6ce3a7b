import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold, nfc, slugify_vi


def test_fold_removes_diacritics_and_case():
    assert fold("Bình Thành") == "binh thanh"
    assert fold("ĐĂNG KÝ KHAI SINH") == "dang ky khai sinh"
    assert fold("đất đai") == "dat dai"


def test_fold_treats_decomposed_and_composed_alike():
    composed = "Chứng thực"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "chung thuc"


def test_nfc_normalises_and_collapses_spaces():
    assert nfc(unicodedata.normalize("NFD", "  Hộ   tịch ")) == "Hộ tịch"


def test_slug():
    assert slugify_vi("Lao động – Thương binh và Xã hội") == "lao-dong-thuong-binh-va-xa-hoi"


@given(st.text())
def test_fold_is_idempotent(s):
    assert fold(fold(s)) == fold(s)
