"""A leader enrols the second factor in Chromium as they would with a phone: the QR code on the
screen is read by a QR reader (zxing-cpp), the code is computed from it by pyotp (a second TOTP
implementation), at the desk's width and a phone's; then the next log-in asks for the code."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
import zxingcpp
from PIL import Image

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5).length"""


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_a_leader_enrols_by_scanning_the_qr_code(
    live_server, page, screenshot, world, settings, width, height
):
    settings.MOTCUA_REQUIRE_MFA = "leaders"
    page.set_viewport_size({"width": width, "height": height})

    def log_in():
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", "truongbp")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")

    log_in()
    assert "/tai-khoan/xac-thuc-hai-lop/" in page.url
    assert page.locator("nav a:has-text('Việc của tôi')").count() == 0  # nothing before it
    shot = screenshot(f"mfa-setup-{width}")
    assert page.evaluate(WIDEST) == 0
    [qr] = zxingcpp.read_barcodes(Image.open(shot))
    url = urlparse(qr.text)
    assert url.scheme == "otpauth" and url.netloc == "totp" and "truongbp" in url.path
    totp = pyotp.TOTP(parse_qs(url.query)["secret"][0])
    page.fill("#id_code", totp.now())
    page.click("main button[type=submit]")
    assert page.locator("ol.recovery-codes li").count() == 10
    screenshot(f"mfa-codes-{width}")
    page.click("text=Tiếp tục")
    assert page.locator("h1").first.inner_text() != "Xác thực hai lớp"

    page.click("header button:has-text('Đăng xuất')")
    log_in()
    assert "/tai-khoan/dang-nhap/ma-xac-thuc/" in page.url
    screenshot(f"mfa-verify-{width}")
    page.fill("#id_code", totp.at(time.time() + 30))  # a later step: a code works once
    page.click("main button[type=submit]")
    assert "/ho-so/" in page.url
