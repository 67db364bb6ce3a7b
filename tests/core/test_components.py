"""Which papers are required: the published lists' own wording, read by hand (the demo
catalogue's rows from Hải Phòng's and the national portal's lists)."""

from __future__ import annotations

import pytest

from motcua.core.components import PaperForm, is_required, missing, parse_component

TABLE = [
    # (published text, conditional, its condition, form)
    ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu", False, "", ""),
    (
        "Giấy tờ chứng minh việc ly hôn hoặc người vợ/chồng đã chết (nếu có)",
        True,
        "nếu có",
        "",
    ),
    (
        "Văn bản về việc ủy quyền (trường hợp thực hiện thủ tục thông qua người đại diện)",
        True,
        "trường hợp thực hiện thủ tục thông qua người đại diện",
        "",
    ),
    (
        "Bản chính giấy phép đã cấp (trường hợp bị rách, nát)",
        True,
        "trường hợp bị rách, nát",
        "original",
    ),
    ("Xuất trình Sổ theo dõi hoạt động hòa giải khi cần", True, "khi cần", "presented"),
    ("Báo cáo của Trưởng ban công tác Mặt trận (Mẫu 09) nếu có", True, "nếu có", ""),
    ("Bản sao cần chứng thực", False, "", "copy"),
    ("Bản chính giấy tờ, văn bản làm cơ sở chứng thực bản sao", False, "", "original"),
    (
        "Bản sao được chứng thực Giấy chứng nhận người có công (hoặc Kỷ niệm chương, Huân chương…)",
        False,
        "",
        "certified_copy",
    ),
    # a bracket that is not a condition keeps the paper required
    ("Báo cáo của Trưởng ban công tác Mặt trận (Mẫu 09)", False, "", ""),
    ("Giấy chứng sinh hoặc giấy tờ thay thế", False, "", ""),
    (
        "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi không thường trú)",
        True,
        "nếu đăng ký ở nơi không thường trú",
        "",
    ),
]


@pytest.mark.parametrize(("text", "conditional", "condition", "form"), TABLE)
def test_the_published_wording_says_which_papers_are_required(text, conditional, condition, form):
    paper = parse_component(text)
    assert paper.name == text
    assert paper.conditional is conditional and paper.mandatory is (not conditional)
    assert paper.condition == condition and paper.form == form


def test_a_conditional_paper_is_never_missing():
    papers = [parse_component(t).as_dict() for t, *_ in TABLE[:3]]
    assert missing(papers, set()) == ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"]
    assert missing(papers, {"Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"}) == []
    # entries stored before conditions were recorded count as required
    assert is_required({"name": "x", "mandatory": True}) and is_required({"name": "x"})
    assert not is_required({"name": "x", "mandatory": True, "conditional": True})
    assert PaperForm("presented") == PaperForm.PRESENTED
