"""Log-in throttling and lock-out (issue 13, M3): per account and per address, on the log-in
page, the API's token endpoint and the admin."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts import throttle
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
TOKEN = "/api/v1/auth/token/"
ADMIN = "/quan-tri/login/"
LOCKED = re.compile(r"Đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau (\d\d:\d\d)\.")


def log_in(client, username, password, address="198.51.100.20"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, world, caplog):
    for _ in range(5):
        assert log_in(client, "chuyenvien", "sai-mat-khau").status_code == 200
    with caplog.at_level(logging.WARNING, logger="motcua.security"):
        refused = log_in(client, "chuyenvien", PASSWORD)
    assert refused.status_code == 200 and not logged_in(client)
    until = LOCKED.search(refused.content.decode())
    assert until, refused.content.decode()
    expected = timezone.localtime(timezone.now() + timedelta(minutes=15))
    assert until.group(1) in {
        expected.strftime("%H:%M"),
        (expected + timedelta(minutes=1)).strftime("%H:%M"),
    }


def test_a_lock_out_is_logged(client, world, caplog):
    with caplog.at_level(logging.WARNING, logger="motcua.security"):
        for _ in range(5):
            log_in(client, "chuyenvien", "sai-mat-khau")
    locks = [r for r in caplog.records if r.name == "motcua.security"]
    assert len(locks) == 1
    assert "chuyenvien" in locks[0].getMessage() and "198.51.100.20" in locks[0].getMessage()


def test_the_lock_ends_and_the_right_password_works_again(client, world, monkeypatch):
    for _ in range(5):
        log_in(client, "chuyenvien", "sai-mat-khau")
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(throttle, "now", lambda: later)
    log_in(client, "chuyenvien", PASSWORD)
    assert logged_in(client)


def test_a_right_password_starts_the_count_again(client, world):
    for _ in range(2):
        for _ in range(4):
            log_in(client, "chuyenvien", "sai-mat-khau")
        log_in(client, "chuyenvien", PASSWORD)
        assert logged_in(client)
        client.logout()


def test_another_account_is_not_locked(client, world):
    for _ in range(5):
        log_in(client, "chuyenvien", "sai-mat-khau")
    log_in(client, "truongbp", PASSWORD, address="198.51.100.21")
    assert logged_in(client)


def test_twenty_failures_from_one_address_lock_the_address(client, world):
    for i in range(20):  # a different name each time: no account reaches its limit
        log_in(client, f"khong-co-{i}", "sai-mat-khau", address="203.0.113.66")
    refused = log_in(client, "truongbp", PASSWORD, address="203.0.113.66")
    assert not logged_in(client) and LOCKED.search(refused.content.decode())
    log_in(client, "truongbp", PASSWORD, address="203.0.113.67")
    assert logged_in(client)


def test_the_token_endpoint_is_locked_too(client, world):
    for _ in range(5):
        wrong = client.post(TOKEN, {"username": "chuyenvien", "password": "sai"})
        assert wrong.status_code == 400
    refused = client.post(TOKEN, {"username": "chuyenvien", "password": PASSWORD})
    assert refused.status_code == 400 and "token" not in refused.json()
    # and failures on the API count for the page
    assert LOCKED.search(log_in(client, "chuyenvien", PASSWORD).content.decode())


def test_the_admin_is_locked_too_with_the_message(client, world):
    for _ in range(5):
        client.post(ADMIN, {"username": "quantri", "password": "sai"})
    refused = client.post(ADMIN, {"username": "quantri", "password": PASSWORD})
    assert not logged_in(client)
    assert LOCKED.search(refused.content.decode()), refused.content.decode()
