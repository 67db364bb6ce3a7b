"""Issue 13's defects on the wire: the debug page's secrets (H1), the client's address and the
shared rate limits (M2), formulas in exports (M5) and the security headers."""

from __future__ import annotations

import csv
import sys

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.views.debug import technical_500_response
from openpyxl import load_workbook

from motcua.tabular import read_table, write_table
from motcua.units.access import client_address
from motcua.workflow import actions
from tests.dossiers.conftest import intake

# --- H1: the debug page shows no credential ----------------------------------------------------


def a_server_error(request):
    try:
        raise ValueError("a 10,000-deep JSON body")
    except ValueError:
        return technical_500_response(request, *sys.exc_info())


def test_the_debug_page_shows_no_database_password_nor_any_password_in_a_url(rf):
    request = rf.post(
        "/api/v1/auth/token/", {"username": "quantri", "password": "form-pw-1"}, **LEAKY_ENVIRONMENT
    )
    with override_settings(DEBUG=True, **LEAKY_SETTINGS):
        response = a_server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and "a 10,000-deep JSON body" in html
    assert [password for password in PASSWORDS if password in html] == []
    # a URL setting is still recognisable, only its password is gone
    assert "sftp://backup:********************@nas.example.vn/motcua" in html


# --- M2: the client's address, and limits that hold -------------------------------------------


@pytest.mark.parametrize(
    ("remote", "headers", "expected"),
    [
        # a client talking to us directly cannot choose its address
        ("203.0.113.9", {"HTTP_X_REAL_IP": "1.2.3.4"}, "203.0.113.9"),
        ("203.0.113.9", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "203.0.113.9"),
        # behind the local nginx: the address it saw
        ("127.0.0.1", {"HTTP_X_REAL_IP": "198.51.100.7"}, "198.51.100.7"),
        ("::1", {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "198.51.100.7"),
        # what the client put in front of nginx's own entry is not believed
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7"}, "198.51.100.7"),
        ("127.0.0.1", {}, "127.0.0.1"),
    ],
)
def test_forwarded_addresses_are_believed_only_from_a_trusted_proxy(rf, remote, headers, expected):
    request = rf.get("/", REMOTE_ADDR=remote, **headers)
    assert client_address(request) == expected


@override_settings(MOTCUA_TRUSTED_PROXIES=["10.0.0.0/8", "127.0.0.1"])
def test_the_right_most_address_not_of_a_trusted_proxy_is_the_client(rf):
    request = rf.get(
        "/",
        REMOTE_ADDR="10.1.1.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.2.2.2, 127.0.0.1",
    )
    assert client_address(request) == "198.51.100.7"


def received(world):
    draft = actions.create_draft(world.specialist, world.binh_thanh.desk, intake())
    return actions.perform(draft.pk, world.specialist, "receive")


@pytest.mark.django_db
def test_a_client_rotating_x_real_ip_is_still_limited(client, staff):
    d = received(staff)
    answers = [
        client.post(
            "/tra-cuu/",
            {"code": d.code, "phone": f"{i:04d}"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_REAL_IP=f"198.51.100.{i}",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        ).status_code
        for i in range(30)
    ]
    assert answers[:10] == [400] * 10 and set(answers[10:]) == {429}


@pytest.mark.django_db
def test_the_limit_is_shared_by_all_workers(client, staff):
    d = received(staff)
    for i in range(10):
        client.post("/tra-cuu/", {"code": d.code, "phone": f"{i:04d}"})
    cache.clear()  # another worker: its own memory is empty
    assert client.post("/tra-cuu/", {"code": d.code, "phone": "0042"}).status_code == 429


@pytest.mark.django_db
def test_guesses_on_one_dossier_code_from_many_addresses_are_limited(client, staff):
    d = received(staff)
    for i in range(10):  # ten addresses, one wrong guess each
        answer = client.post(
            "/tra-cuu/", {"code": d.code, "phone": f"{i:04d}"}, REMOTE_ADDR=f"198.51.100.{i}"
        )
        assert answer.status_code == 400
    blocked = client.post(
        "/tra-cuu/", {"code": d.code, "phone": "5678"}, REMOTE_ADDR="198.51.100.99"
    )
    assert blocked.status_code == 429
    assert "mã hồ sơ này" in blocked.content.decode()
    # another dossier's citizen, from the same address, is not affected
    other = received(staff)
    found = client.post(
        "/tra-cuu/", {"code": other.code, "phone": "5678"}, REMOTE_ADDR="198.51.100.99"
    )
    assert found.status_code == 200


# --- M5: no formula in an export ----------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def test_an_xlsx_cell_that_looks_like_a_formula_is_text(tmp_path):
    path = tmp_path / "so-theo-doi.xlsx"
    write_table(path, ["Người nộp", "Số"], [[value, 7] for value in HOSTILE] + [["-", -3.5]])
    sheet = load_workbook(path).active
    for row, value in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row, 1)
        assert cell.data_type == "s" and cell.value == "'" + value
        assert sheet.cell(row, 2).value == 7  # numbers stay numbers
    assert sheet.cell(len(HOSTILE) + 2, 2).value == -3.5
    assert sheet.cell(len(HOSTILE) + 2, 1).value == "'-"


def test_a_csv_cell_that_looks_like_a_formula_is_text(tmp_path):
    path = tmp_path / "so-theo-doi.csv"
    write_table(path, ["Người nộp", "Số"], [[value, -7] for value in HOSTILE] + [["Nguyễn An", 1]])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE] + ["Nguyễn An"]
    assert {r[1] for r in rows[1:-1]} == {"-7"}  # a real number is not touched


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_our_own_export_reads_back_as_it_was(tmp_path, suffix):
    path = tmp_path / f"danh-muc{suffix}"
    rows = [[value, "- Bước 1: nộp hồ sơ"] for value in HOSTILE if value.strip() == value]
    write_table(path, ["Tên", "Trình tự"], rows)
    assert read_table(path) == (["Tên", "Trình tự"], rows)


# --- security headers ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response  # not over plain HTTP


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_hsts_over_tls_when_configured(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_is_read_from_the_environment():
    from django.conf import settings

    assert settings.SECURE_HSTS_SECONDS == 0  # development default; docs say to set it
    assert settings.SECURE_REFERRER_POLICY == "same-origin"


def test_an_uploaded_file_served_inline_is_sandboxed():
    from types import SimpleNamespace

    from django.core.files.base import ContentFile

    from motcua.documents.files import file_response

    stored = SimpleNamespace(
        id="5b0c",
        original_name="to-khai.pdf",
        stage="upload",
        mime_type="application/pdf",
        content=ContentFile(b"%PDF-1.7 /JavaScript", name="to-khai.pdf"),
        dossier=SimpleNamespace(code=""),
    )
    response = file_response(stored)
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_response_s_own_policy_is_kept(rf):
    from django.http import HttpResponse

    from motcua.middleware import SecurityHeadersMiddleware

    def sandboxed(request):
        response = HttpResponse(b"%PDF")
        response["Content-Security-Policy"] = "sandbox"
        return response

    assert SecurityHeadersMiddleware(sandboxed)(rf.get("/"))["Content-Security-Policy"] == "sandbox"


# What a deployment may hold in its settings and environment (at the end of the file, away
# from the test's lines: the debug page shows the source around each frame of the traceback).
LEAKY_SETTINGS = {
    "DATABASE_URL": "postgres://motcua:db-pw-1@db.example.vn:5432/motcua",
    "MOTCUA_SENTRY_DSN": "https://abc:dsn-pw-1@sentry.example.vn/4",
    "MOTCUA_PROVINCE_CREDENTIAL": "cred-pw-1",
    "MOTCUA_UPSTREAM_AUTH": "auth-pw-1",
    "MOTCUA_CHECKPOINT_TARGET": "sftp://backup:sftp-pw-1@nas.example.vn/motcua",
    "MOTCUA_LISTS": ["redis://:list-pw-1@cache:6379/0"],
}
LEAKY_ENVIRONMENT = {  # the development server copies the environment into every request
    "DATABASE_URL": "postgres://motcua:meta-pw-1@db:5432/motcua",
    "MOTCUA_MIRROR": "https://mirror:meta-pw-2@files.example.vn/x",
}
PASSWORDS = ("db-pw-1", "dsn-pw-1", "cred-pw-1", "auth-pw-1", "sftp-pw-1", "list-pw-1")
PASSWORDS += ("meta-pw-1", "meta-pw-2", "form-pw-1")
