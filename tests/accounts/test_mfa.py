"""The second factor, the password change, the session's limits and the API token's life
(issue 13, M3). TOTP codes are computed by pyotp (a second implementation of RFC 6238) from
the key the enrolment page shows, never by the code under test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from motcua.accounts.middleware import SEEN, STARTED
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/dang-nhap/ma-xac-thuc/"
SETUP = "/tai-khoan/xac-thuc-hai-lop/"
WORKLIST = "/ho-so/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def leaders_must(settings):
    settings.MOTCUA_REQUIRE_MFA = "leaders"


def log_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def enrol(client) -> tuple[pyotp.TOTP, list[str]]:
    """Enrol the logged-in official as they would: read the key off the page, type the code."""
    page = client.get(SETUP).content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    totp = pyotp.TOTP(secret.replace(" ", ""))
    done = client.post(SETUP, {"code": totp.now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.content.decode())
    return totp, codes


def next_code(totp: pyotp.TOTP) -> str:
    """A code of a later time step than the one just used (a code is accepted once)."""
    return totp.at(time.time() + 30)


def test_a_head_must_enrol_before_anything_else(client, world):
    assert log_in(client, "truongbp").status_code == 302
    page = client.get(WORKLIST)
    assert page.status_code == 302 and page["Location"].startswith(SETUP)
    setup = client.get(SETUP).content.decode()
    assert "Tài khoản của bạn phải dùng xác thực hai lớp" in setup
    # the API sees them as anonymous until they have
    assert client.get("/api/v1/dossiers/").status_code in (401, 403)


def test_a_specialist_is_not_forced_under_the_default_policy(client, world):
    log_in(client, "chuyenvien")
    assert client.get(WORKLIST).status_code == 200


def test_all_forces_every_official(client, world, settings):
    settings.MOTCUA_REQUIRE_MFA = "all"
    log_in(client, "chuyenvien")
    assert client.get(WORKLIST)["Location"].startswith(SETUP)


def test_enrolment_with_the_apps_code_gives_ten_recovery_codes_and_opens_the_desk(client, world):
    log_in(client, "truongbp")
    page = client.get(SETUP).content.decode()
    assert "<svg" in page  # the QR code to scan
    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 400 and "Mã xác thực không đúng" in wrong.content.decode()
    # right after a wrong code, even the right one must wait (django-otp's throttle)
    page = client.get(SETUP).content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    hasty = client.post(SETUP, {"code": pyotp.TOTP(secret.replace(" ", "")).now()})
    assert "đợi vài giây" in hasty.content.decode()
    time.sleep(2.1)
    _, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(WORKLIST).status_code == 200


def test_the_next_log_in_asks_for_the_code(client, world):
    log_in(client, "truongbp")
    totp, _ = enrol(client)
    client.logout()
    log_in(client, "truongbp")
    assert client.get(WORKLIST)["Location"].startswith(VERIFY)
    bad = client.post(VERIFY, {"code": "123456"})
    assert bad.status_code == 400 and "Mã không đúng" in bad.content.decode()
    assert client.get(WORKLIST).status_code == 302
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    ok = client.post(VERIFY, {"code": next_code(totp), "next": WORKLIST})
    assert ok.status_code == 302 and ok["Location"] == WORKLIST
    assert client.get(WORKLIST).status_code == 200


def test_a_recovery_code_works_once(client, world):
    log_in(client, "truongbp")
    _, codes = enrol(client)
    for attempt in (1, 2):
        client.logout()
        log_in(client, "truongbp")
        answer = client.post(VERIFY, {"code": codes[0]})
        if attempt == 1:
            assert answer.status_code == 302
            assert client.get(WORKLIST).status_code == 200
        else:
            assert answer.status_code == 400


def test_a_code_cannot_be_replayed(client, world):
    log_in(client, "truongbp")
    totp, _ = enrol(client)
    code = next_code(totp)
    client.logout()
    log_in(client, "truongbp")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    log_in(client, "truongbp")
    assert client.post(VERIFY, {"code": code}).status_code == 400


def test_the_admin_is_behind_the_second_factor_too(client, world):
    log_in(client, "quantri")
    assert client.get("/quan-tri/")["Location"].startswith(SETUP)


def test_the_token_endpoint_asks_for_the_code(client, world):
    log_in(client, "truongbp")
    totp, _ = enrol(client)
    client.logout()
    body = {"username": "truongbp", "password": PASSWORD}
    missing = client.post(TOKEN, body, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["code"] == "mfa_required"
    wrong = client.post(TOKEN, {**body, "otp": "000000"}, content_type="application/json")
    assert wrong.json()["code"] == "mfa_wrong_code"
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    ok = client.post(TOKEN, {**body, "otp": next_code(totp)}, content_type="application/json")
    assert ok.status_code == 200 and set(ok.json()) == {"token", "expires_at"}


def test_a_leader_who_must_enrol_gets_no_token_before(client, world):
    answer = client.post(
        TOKEN, {"username": "truongbp", "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "mfa_required"
    assert "thiết lập" in answer.json()["detail"]


def get_token(client):
    answer = client.post(
        TOKEN, {"username": "chuyenvien", "password": PASSWORD}, content_type="application/json"
    )
    return answer.json()["token"]


def test_a_token_expires_after_its_hours_and_a_new_one_is_given(client, world, settings):
    key = get_token(client)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/worklist/", **auth).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=25))
    expired = client.get("/api/v1/worklist/", **auth)
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired" and "hết hạn" in expired.json()["detail"]
    assert not Token.objects.filter(key=key).exists()
    assert get_token(client) != key


def test_a_token_is_revoked_by_delete(client, world):
    key = get_token(client)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.delete(TOKEN, **auth).status_code == 204
    assert client.get("/api/v1/worklist/", **auth).status_code == 401


def test_a_password_change_revokes_the_token(client, world):
    key = get_token(client)
    log_in(client, "chuyenvien")
    page = client.get("/tai-khoan/doi-mat-khau/")
    assert "Mật khẩu hiện tại" in page.content.decode()
    wrong = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "sai", "new_password1": "Mot-cua-2026!", "new_password2": "Mot-cua-2026!"},
    )
    assert wrong.status_code == 200 and "Mật khẩu cũ không chính xác" in wrong.content.decode()
    done = client.post(
        "/tai-khoan/doi-mat-khau/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mot-cua-2026!",
            "new_password2": "Mot-cua-2026!",
        },
    )
    assert done.status_code == 302
    assert client.get(WORKLIST).status_code == 200  # this session goes on
    assert not Token.objects.filter(key=key).exists()
    client.logout()
    assert log_in(client, "chuyenvien", "Mot-cua-2026!").status_code == 302


def test_a_short_new_password_is_refused_in_vietnamese(client, world):
    log_in(client, "chuyenvien")
    answer = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    text = answer.content.decode()
    assert answer.status_code == 200 and "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in text
    assert "Mật khẩu không được chỉ gồm chữ số." in text


def test_an_idle_session_ends(client, world):
    log_in(client, "chuyenvien")
    assert client.get(WORKLIST).status_code == 200
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    answer = client.get(WORKLIST)
    assert answer.status_code == 302 and answer["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_busy_session_ends_after_its_hours(client, world):
    log_in(client, "chuyenvien")
    client.get(WORKLIST)
    session = client.session
    session[STARTED] = int(time.time()) - 13 * 3600
    session.save()
    assert client.get(WORKLIST)["Location"].startswith(LOGIN)


def test_the_default_policy_outside_the_tests_is_leaders():
    env = {k: v for k, v in os.environ.items() if k != "MOTCUA_REQUIRE_MFA"}
    out = subprocess.run(
        [sys.executable, "-c", "from motcua import settings; print(settings.MOTCUA_REQUIRE_MFA)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "leaders"


def test_a_token_carries_its_holders_roles_as_they_are_now(client, world):
    """The token's look-up reads the holder's roles with it (one statement): a role taken
    away counts from the next request, a deactivated holder is refused, an unknown key too."""
    from motcua.accounts.models import StaffRole

    key = get_token(client)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/worklist/", **auth).status_code == 200
    StaffRole.objects.filter(user=world.specialist).delete()
    refused = client.get("/api/v1/worklist/", **auth)
    assert refused.status_code == 403
    StaffRole.objects.create(user=world.specialist, role="specialist")
    assert client.get("/api/v1/worklist/", **auth).status_code == 200
    world.specialist.is_active = False
    world.specialist.save(update_fields=["is_active"])
    inactive = client.get("/api/v1/worklist/", **auth)
    assert inactive.status_code == 401 and inactive.json()["code"] == "authentication_failed"
    unknown = client.get("/api/v1/worklist/", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert unknown.status_code == 401 and unknown.json()["code"] == "authentication_failed"


def test_a_superusers_token_is_an_administrators(client, world):
    key = Token.objects.create(user=world.admin).key
    far = client.get("/api/v1/units/27700/desk/", HTTP_AUTHORIZATION=f"Token {key}")
    assert far.status_code == 200 and far.json()["unit_code"] == "27700"
