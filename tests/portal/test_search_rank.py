"""Catalogue search, most relevant first, on the demo catalogue that communes are shown."""

from pathlib import Path

import pytest

from motcua.catalog.actions import import_procedures_file
from motcua.catalog.queries import name_rank, search_procedures

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "motcua" / "catalog" / "data" / "procedures_demo.csv"


@pytest.fixture
def demo(db):
    import_procedures_file(DEMO)


def codes(query, **kw):
    return [p.code for p in search_procedures(query, **kw)]


@pytest.mark.parametrize("query", ["Đăng ký kết hôn", "dang ky ket hon", "ĐĂNG KÝ KẾT HÔN"])
def test_the_exact_name_comes_first_then_names_starting_with_it(demo, query):
    found = codes(query)
    # by hand from the catalogue: 1.000894 "Đăng ký kết hôn" is the name itself,
    # 1.000593 "Đăng ký kết hôn lưu động" starts with it, 1.004746 "Đăng ký lại kết hôn"
    # only has the words
    assert found[:2] == ["1.000894", "1.000593"]
    assert found.index("1.004746") > 1


def test_a_phrase_inside_the_name_before_scattered_words(demo):
    found = codes("khai sinh")
    # "Đăng ký khai sinh" (shortest name holding the phrase) first; every name holding the
    # phrase before "Đăng ký lại khai tử"-like names that merely match the field or a word
    assert found[0] == "1.001193"
    names = [p.name.lower() for p in search_procedures("khai sinh")]
    holding_phrase = [i for i, n in enumerate(names) if "khai sinh" in n]
    assert holding_phrase == list(range(len(holding_phrase)))


def test_filters_and_codes_still_work(demo):
    assert codes("1.001193") == ["1.001193"]
    assert set(codes("ket hon", online_only=True)) <= set(codes("ket hon"))
    assert codes("") == codes("  ")  # no query: the catalogue by field and code
    assert codes("khong co thu tuc nay") == []


@pytest.mark.parametrize(
    "name, query, rank",
    [
        ("dang ky ket hon", "dang ky ket hon", 0),
        ("dang ky ket hon luu dong", "dang ky ket hon", 1),
        ("cap ban sao giay khai sinh", "khai sinh", 2),
        ("dang ky lai ket hon", "dang ky ket hon", 3),
        ("chung thuc chu ky", "ho tich", 4),
    ],
)
def test_rank_table(name, query, rank):
    assert name_rank(name, query) == rank
