"""The result in Chromium: drafted, signed by the leader, sealed by the clerk, then verified on
the public page."""

import pytest

from motcua.demo import devca
from motcua.documents.certificates import register_certificate, trust_authority
from motcua.workflow import actions
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dossier_flow import log_in
from tests.dossiers.conftest import intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click(page, action):
    with page.expect_navigation():
        page.locator(f"button[data-action='{action}']").click()
    assert "msg-success" in page.content(), page.locator(".messages").inner_text()


def test_sign_seal_and_verify_in_the_browser(live_server, browser, staff):
    ca = devca.make_ca()
    trust_authority("CA thử nghiệm", ca.pem())
    leader_cert = devca.issue(ca, "Lãnh Đạo Xã", "UBND xã Bình Thành")
    register_certificate(
        unit=staff.binh_thanh,
        user=staff.leader,
        data=leader_cert.pkcs12("ky-so"),
        passphrase="ky-so",
    )
    seal = devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành")
    register_certificate(unit=staff.binh_thanh, data=seal.pkcs12("dau"), passphrase="dau")
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(d.pk, staff.specialist, "receive")
    d = actions.perform(d.pk, staff.specialist, "start_review")
    url = f"{live_server.url}/ho-so/{d.pk}/"

    specialist = log_in(browser, live_server, "chuyenvien")
    specialist.goto(url)
    click(specialist, "draft-template")
    click(specialist, "submit_for_approval")

    leader = log_in(browser, live_server, "lanhdao")
    leader.goto(url)
    # the leader reads the exact PDF that will be signed, on the page
    preview = leader.locator("iframe.pdf-preview")
    assert preview.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    leader.screenshot(path=str(ARTIFACTS / "result-leader-preview.png"), full_page=True)
    leader.locator(".sign-form input[name=passphrase]").fill("ky-so")
    click(leader, "sign")

    clerk = log_in(browser, live_server, "vanthu")
    clerk.goto(url)
    # the number comes from the register of outgoing documents: the first of the year
    assert clerk.locator(".sign-form input[name=number]").input_value() == "01/UBND"
    clerk.locator(".sign-form input[name=passphrase]").fill("dau")
    click(clerk, "seal")
    assert "Đã ban hành" in clerk.content()
    ARTIFACTS.mkdir(exist_ok=True)
    clerk.screenshot(path=str(ARTIFACTS / "result-sealed.png"), full_page=True)

    link = clerk.locator(".result-box a").last.get_attribute("href")
    pdf = clerk.request.get(live_server.url + link).body()
    (ARTIFACTS / "result-sealed.pdf").write_bytes(pdf)

    citizen = browser.new_context(locale="vi-VN").new_page()
    citizen.goto(live_server.url + "/xac-thuc/")
    citizen.locator("#id_file").set_input_files(str(ARTIFACTS / "result-sealed.pdf"))
    with citizen.expect_navigation():
        citizen.locator("button[type=submit]").click()
    text = citizen.locator("main").inner_text()
    assert "Đây đúng là văn bản 01/UBND" in text
    assert text.count("Còn nguyên vẹn") == 2
    citizen.screenshot(path=str(ARTIFACTS / "verify-page.png"), full_page=True)
