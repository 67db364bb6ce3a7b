"""The procedure page and the desk's intake page show the fee rule and ask the fee API."""

from __future__ import annotations

import pytest

from motcua.catalog.actions import import_procedures_file
from motcua.demo.load import CATALOGUE_FILE


@pytest.fixture
def demo(db):
    import_procedures_file(CATALOGUE_FILE)


def test_certified_copy_page_shows_the_rule_and_a_calculator(client, demo):
    html = client.get("/thu-tuc/2.000815/").content.decode()
    assert (
        "Phí: 2.000 đồng/trang (trang 1–2), 1.000 đồng/trang (từ trang 3), tối đa 200.000 đồng/bản"
        in html
    )
    assert 'data-fee-url="/api/v1/procedures/2.000815/fee/"' in html
    assert 'data-fee-param="pages"' in html and 'data-fee-param="copies"' in html
    assert "2.000 đồng</strong>" in html  # one page, one copy
    assert "/static/motcua/fee.js" in html


def test_civil_status_page_lists_exemptions_with_their_basis(client, demo):
    html = client.get("/thu-tuc/1.004873/").content.decode()
    assert "Lệ phí: 5.000 đồng/hồ sơ; nộp trực tuyến: 0 đồng" in html
    assert "Thành viên hộ nghèo — miễn" in html
    assert "(căn cứ: NQ 16/2023/NQ-HĐND TP Hải Phòng)" in html
    assert 'data-fee-param="pages"' not in html  # a fixed amount: nothing to ask


def test_a_free_procedure_has_no_calculator(client, demo):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Miễn lệ phí khi đăng ký đúng hạn" in html
    assert "data-fee-url" not in html


def test_intake_page_shows_the_fee_live(client, world, demo):
    client.force_login(world.specialist)
    html = client.get("/ho-so/tiep-nhan/2.000815/").content.decode()
    assert 'data-fee-url="/api/v1/procedures/2.000815/fee/"' in html
    assert 'name="fee_pages"' in html and 'data-fee-param="pages"' in html
    # the copies the fee counts are their own box: "Số bộ" counts sets of papers, not copies
    assert 'name="fee_copies"' in html and html.count('data-fee-param="copies"') == 1
    assert "Số tiền phải nộp: <strong data-fee-amount" in html


def test_the_script_is_served_and_small(client, db):
    from django.contrib.staticfiles import finders

    path = finders.find("motcua/fee.js")
    text = open(path, encoding="utf-8").read()
    assert "data-fee-url" in text and "fetch(" in text
    assert "://" not in text  # no external address
    assert len(text) < 3000
