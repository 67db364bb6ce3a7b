"""The public pages in a real browser: Vietnamese text drawn with a font that has every glyph."""

import unicodedata
from pathlib import Path

import pytest

from motcua.catalog.actions import import_procedures_file
from tests.browser.conftest import rendered_fonts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL = Path(__file__).parent.parent / "fixtures" / "procedures_small.csv"
GOOD_FONTS = {"DejaVu Sans", "Liberation Sans", "Liberation Serif", "DejaVu Serif"}


def test_home_search_and_procedure_page(live_server, page, screenshot, world):
    import_procedures_file(SMALL)
    page.goto(live_server.url + "/")
    heading = page.locator("h1").inner_text()
    assert heading == "Chào mừng đến Bộ phận Một cửa Xã Bình Thành"
    assert unicodedata.is_normalized("NFC", page.content())
    fonts = rendered_fonts(page, "h1")
    assert fonts and set(fonts) <= GOOD_FONTS, fonts
    screenshot("home")

    # the desk official types without diacritics and uses only the keyboard
    page.locator("#q").fill("chung thuc giao dich")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=*")
    link = page.get_by_role("link", name="Chứng thực giao dịch liên quan đến tài sản")
    assert link.count() == 1
    screenshot("catalogue-search")
    link.click()
    page.wait_for_url("**/thu-tuc/2.001035/")
    body = page.locator("main").inner_text()
    for text in (
        "2 ngày làm việc",
        "50.000 đồng",
        "Thành phần hồ sơ",
        "Dự thảo hợp đồng",
        "Lãnh đạo xem xét, ký duyệt",
    ):
        assert text in body
    fonts = rendered_fonts(page, "main")
    assert fonts and set(fonts) <= GOOD_FONTS, fonts
    screenshot("procedure")


def test_live_search_updates_without_reload(live_server, page, world):
    import_procedures_file(SMALL)
    page.goto(live_server.url + "/thu-tuc/")
    assert "Tìm thấy 4 thủ tục" in page.locator("#ket-qua").inner_text()
    page.locator("#q").type("ket hon")
    # (a locator's wait, not wait_for_function: the pages' policy forbids eval, which
    # Playwright's string predicate needs)
    page.locator("#ket-qua", has_text="Tìm thấy 1 thủ tục").wait_for()
    assert "Đăng ký kết hôn" in page.locator("#ket-qua").inner_text()


def test_login_and_desk_page(live_server, page, screenshot, world):
    from tests.factories import PASSWORD

    page.goto(live_server.url + "/bo-phan/")
    page.wait_for_url("**/tai-khoan/dang-nhap/**")
    page.locator("#id_username").fill("truongbp")
    page.locator("#id_password").fill("sai-mat-khau")
    page.keyboard.press("Enter")
    assert "tên đăng nhập và mật khẩu" in page.locator(".msg-error").inner_text().lower()
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/bo-phan/05605/")
    assert "Cán bộ, công chức làm việc tại Bộ phận (2 người)" in page.locator("main").inner_text()
    screenshot("desk")
