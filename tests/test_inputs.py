"""No input is a 500 and every refusal reads Vietnamese (issue 13: M1, M4, M6, the JSON part
of H1): drafts only by the desk, query parameters and path ids checked, JSON depth limited,
PDFs and images parsed with limits, lengths limited at every entry, DRF's own messages and
the token endpoint in Vietnamese."""

from __future__ import annotations

import base64
import io
import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import DomainError
from motcua.documents.files import FileRefused, check_upload
from motcua.dossiers.models import Dossier, DossierEvent
from tests.factories import PASSWORD, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

BODY = {
    "procedure": "2.001035",
    "channel": "online_assisted",
    "applicant_name": "Lò Văn Chiến",
    "applicant_id_number": "019090001111",
    "applicant_phone": "0911222333",
    "components": ["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
}
NOT_A_UUID = "-" * 36


def vietnamese(text: str) -> bool:
    """A message for a person: NFC, with Vietnamese letters (not DRF's English)."""
    return unicodedata.is_normalized("NFC", text) and any(ord(ch) > 127 for ch in text)


def all_messages(fields) -> list[str]:
    if isinstance(fields, dict):
        return [m for v in fields.values() for m in all_messages(v)]
    if isinstance(fields, list):
        return [m for v in fields for m in all_messages(v)]
    return [str(fields)]


def token_for(client, username: str) -> str:
    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    return response.json()["token"]


def as_user(client, username: str):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token_for(client, username)}"
    return client


def post_json(client, url: str, body) -> object:
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json")


def assert_refused(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert vietnamese(body["detail"]) and body["code"], body
    return body


# --- M1: only the desk saves a draft ----------------------------------------------------------


@pytest.mark.parametrize("username", ["vanthu", "lanhdao"])
def test_a_clerk_or_a_leader_cannot_save_a_draft_through_the_api(client, staff, username):
    response = post_json(as_user(client, username), "/api/v1/dossiers/", {**BODY, "draft": True})
    assert assert_refused(response, 403)["code"] == "role_required"
    assert Dossier.objects.count() == 0


def test_the_overseer_cannot_save_a_draft_by_any_caller(staff):
    from motcua.core.errors import AccessError
    from motcua.units.queries import desk_of_unit
    from motcua.workflow import actions

    data = actions.IntakeData(
        procedure_code="2.001035",
        channel="direct",
        applicant=actions.ApplicantData(name="Lò Văn Chiến"),
    )
    desk = desk_of_unit(staff.binh_thanh.code)
    for user in (staff.overseer, staff.clerk):
        with pytest.raises(AccessError) as refused:
            actions.create_draft(user, desk, data)
        assert refused.value.code in ("read_only", "role_required")
        with pytest.raises(AccessError):
            actions.intake_dossier(user, desk, data, None)
    assert Dossier.objects.count() == 0
    # the desk and the citizen (online, no user) still may
    assert actions.create_draft(staff.specialist, desk, data).state == "draft"
    assert actions.create_draft(None, desk, data).state == "draft"


def test_the_specialist_still_saves_a_draft(client, staff):
    response = post_json(
        as_user(client, "chuyenvien"), "/api/v1/dossiers/", {**BODY, "draft": True}
    )
    assert response.status_code == 201 and response.json()["state"] == "draft"


# --- M4: query parameters, path ids -----------------------------------------------------------


def cursor_of(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "params",
    [
        {"due_to": "abc"},
        {"due_from": "abc"},
        {"received_from": "2026-13-01"},
        {"received_to": "31/12/2026"},
        {"due_to": "2026-02-30"},
        {"state": "khong-co"},
        {"channel": "bo-cau"},
        {"page_size": "abc"},
        {"page_size": "²"},
        {"page_size": "-1"},
        {"page_size": ""},
        {"overdue": "null"},
        {"overdue": ""},
        {"overdue": "có"},
        {"cursor": "%%%"},
        {"cursor": "not-a-cursor"},
        {"cursor": cursor_of([1, 2])},
        {"cursor": cursor_of(["2026-01-01T00:00:00+07:00", None])},
        {"cursor": cursor_of([[[["x"]]], "y"])},
        {"cursor": base64.urlsafe_b64encode(b"[" * 3000).decode()},
        {"cursor": base64.urlsafe_b64encode(b"\xff\xfe").decode()},
    ],
)
def test_a_bad_list_parameter_is_a_vietnamese_400(client, staff, params):
    assert_refused(as_user(client, "chuyenvien").get("/api/v1/dossiers/", params))


def test_good_date_filters_still_filter(client, staff):
    api = as_user(client, "chuyenvien")
    code = post_json(api, "/api/v1/dossiers/", BODY).json()["code"]

    def codes(**params):
        response = api.get("/api/v1/dossiers/", params)
        assert response.status_code == 200, response.content
        return [d["code"] for d in response.json()["results"]]

    assert codes(received_from="2020-01-01", due_to="2099-12-31") == [code]
    assert codes(received_to="2020-01-01T08:00:00+07:00") == []
    assert codes(received_from="2099-01-01T00:00:00") == []
    assert codes(state="received,draft", channel="online_assisted") == [code]


@pytest.mark.parametrize("page", ["", "abc", "0", "-1", "1e3"])
def test_a_page_number_that_is_no_number_is_a_vietnamese_400(client, db, page):
    assert_refused(client.get("/api/v1/procedures/", {"page": page}))


def test_the_overdue_flag_still_filters(client, staff):
    api = as_user(client, "chuyenvien")
    post_json(api, "/api/v1/dossiers/", BODY)
    for flag, count in (("true", 0), ("1", 0), ("false", 1), ("0", 1)):
        response = api.get("/api/v1/dossiers/", {"overdue": flag})
        assert response.status_code == 200 and len(response.json()["results"]) == count


def test_a_repeated_query_parameter_is_refused(client, db):
    assert_refused(client.get("/api/v1/procedures/2.001035/fee/?units=1&units=500"))
    assert_refused(client.get("/api/v1/procedures/?q=a&q=b"))


def test_an_unknown_api_address_answers_in_the_api_error_body(client, staff):
    for url in ("/api/v1/khong-co/", "/api/v1/dossiers/abc/", "/api/v1/units/00000/desk/"):
        response = as_user(client, "chuyenvien").get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url
        assert set(response.json()) == {"detail", "code"} and vietnamese(response.json()["detail"])
    page = client.get("/khong-co-trang-nay/")  # a page keeps its own 404 page
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_oversized_api_request_is_a_413_in_the_api_error_body(client, settings):
    settings.MOTCUA_MAX_REQUEST_MB = 1
    big = b"x" * (1024 * 1024 + 1)
    response = client.post("/api/v1/auth/token/", big, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert vietnamese(response.json()["detail"])


def test_the_due_date_calculator_answers_detail_and_code(client, db):
    response = client.get("/api/v1/calendar/due-date", {"start": "abc", "amount": "1"})
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code"} and vietnamese(response.json()["detail"])


@pytest.mark.parametrize("field", ["²", "", "99999999999"])
def test_the_worklist_field_must_be_a_number(client, staff, field):
    response = as_user(client, "chuyenvien").get("/api/v1/worklist/", {"field": field})
    assert_refused(response)


def test_a_file_id_that_is_no_uuid_is_not_found(client, staff):
    api = as_user(client, "chuyenvien")
    code = post_json(api, "/api/v1/dossiers/", BODY).json()["code"]
    assert_refused(api.get(f"/api/v1/dossiers/{code}/files/{NOT_A_UUID}/"), 404)
    described = post_json(api, f"/api/v1/dossiers/{code}/files/{NOT_A_UUID}/metadata/", {})
    assert_refused(described, 404)


# --- M4 / H1: JSON depth ----------------------------------------------------------------------


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [65, 10_000])
def test_deep_json_is_refused_anonymously_and_authenticated(client, staff, levels):
    assert_refused(post_json(client, "/api/v1/auth/token/", deep(levels)))
    nested = '{"username": ' + "[" * levels + "]" * levels + "}"
    assert_refused(post_json(client, "/api/v1/auth/token/", nested))
    assert_refused(post_json(as_user(client, "chuyenvien"), "/api/v1/dossiers/", deep(levels)))
    assert Dossier.objects.count() == 0


def test_the_portal_parser_has_the_same_depth_limit():
    from motcua.integrations.api import PortalJSONParser

    parser = PortalJSONParser()
    assert parser.parse(io.BytesIO(b'{"a": [[{"b": 1}]]}')) == {"a": [[{"b": 1}]]}
    for levels in (65, 10_000):
        with pytest.raises((DomainError, Exception)) as refused:
            parser.parse(io.BytesIO(deep(levels).encode()))
        assert getattr(refused.value, "status", getattr(refused.value, "status_code", 0)) == 400


# --- M4: PDFs and images ----------------------------------------------------------------------


def handmade_pdf(*, kids: bytes = b"[3 0 R]", count: int = 1, extra_objects=(), trailer=b""):
    """A minimal PDF written by hand, so its page tree and trailer can lie."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids " + kids + b" /Count " + str(count).encode() + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    size = str(len(objects) + 1).encode()
    out.write(b"trailer\n<< /Size " + size + b" /Root 1 0 R " + trailer + b">>\n")
    out.write(b"startxref\n" + str(xref).encode() + b"\n%%EOF\n")
    return out.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((80, 60), 60).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def corrupt_png() -> bytes:
    """A PNG whose image data is garbage under correct checksums (verify() alone passes)."""
    import struct
    import zlib

    good = png_bytes()
    start = good.index(b"IDAT") - 4
    length = struct.unpack(">I", good[start : start + 4])[0]
    junk = b"\x00" * length
    chunk = struct.pack(">I", length) + b"IDAT" + junk
    chunk += struct.pack(">I", zlib.crc32(b"IDAT" + junk) & 0xFFFFFFFF)
    return good[:start] + chunk + good[start + 12 + length :]


def noisy_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((120, 90), 60).convert("RGB").save(out, format="JPEG")
    return out.getvalue()


FLAT_KIDS = b"[" + b"3 0 R " * 200_000 + b"]"
NESTED = [b"<< /Type /Pages /Parent 2 0 R /Kids [" + b"3 0 R " * 50_000 + b"] /Count 50000 >>"] * 4
BAD_FILES = {
    "unsupported-encryption": handmade_pdf(
        trailer=b"/Encrypt << /Filter /Standard /V 9 /R 9 /O <00> /U <00> /P -1 >> "
    ),
    "unknown-encryption-handler": handmade_pdf(trailer=b"/Encrypt << /Filter /Khoa >> "),
    "200k-kids-flat": handmade_pdf(kids=FLAT_KIDS, count=200_000),
    "200k-kids-nested": handmade_pdf(
        kids=b"[4 0 R 5 0 R 6 0 R 7 0 R]", count=200_000, extra_objects=NESTED
    ),
    "count-minus-5": handmade_pdf(count=-5),
    "count-lies": handmade_pdf(count=3),
    "kids-loop": handmade_pdf(kids=b"[2 0 R]", count=1),
    "truncated-jpeg": noisy_jpeg()[:600],
    "corrupt-png": corrupt_png(),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_in_vietnamese(kind):
    import time

    import weasyprint  # noqa: F401  as in production: it sets LOAD_TRUNCATED_IMAGES on import

    started = time.monotonic()
    with pytest.raises(FileRefused) as refused:
        check_upload(upload(BAD_FILES[kind], "giay-to.pdf" if "jpeg" not in kind else "a.jpg"))
    assert vietnamese(refused.value.message) and refused.value.code == "file_refused"
    assert time.monotonic() - started < 5


def test_good_files_still_pass():
    assert check_upload(upload(handmade_pdf(), "a.pdf"))[1] == "application/pdf"
    assert check_upload(upload(pdf_bytes(), "b.pdf"))[1] == "application/pdf"
    assert check_upload(upload(jpeg_bytes(), "c.jpg"))[1] == "image/jpeg"
    assert check_upload(upload(noisy_jpeg(), "d.jpg"))[1] == "image/jpeg"
    assert check_upload(upload(png_bytes(), "e.png"))[1] == "image/png"


@pytest.mark.parametrize("kind", ["200k-kids-flat", "unsupported-encryption", "corrupt-png"])
def test_a_bad_file_on_the_online_form_is_refused_next_to_it(
    client, staff, settings, tmp_path, kind
):
    settings.DATA_DIR = tmp_path
    name = "anh.png" if "png" in kind else "giay.pdf"
    page = client.post(
        "/nop-truc-tuyen/2.001035/",
        {
            "applicant_name": "Đặng Thị Hoa",
            "applicant_id_number": "019190004321",
            "applicant_phone": "0977111222",
            "applicant_email": "hoa@example.vn",
            "file-0": SimpleUploadedFile(name, BAD_FILES[kind]),
        },
    )
    assert page.status_code == 400
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("kind", ["200k-kids-nested", "unknown-encryption-handler"])
def test_a_bad_file_at_the_desk_is_a_400(client, staff, kind):
    api = as_user(client, "chuyenvien")
    code = post_json(api, "/api/v1/dossiers/", BODY).json()["code"]
    response = api.post(
        f"/api/v1/dossiers/{code}/files/",
        {"component": "Dự thảo hợp đồng", "file": SimpleUploadedFile("a.pdf", BAD_FILES[kind])},
    )
    assert assert_refused(response)["code"] == "file_refused"


# --- M6: lengths at every entry ---------------------------------------------------------------

TOO_LONG = {
    "applicant_name": "Lò Văn Chiến " * 20,  # 260 > 200
    "applicant_address": "Thôn Bản Pài, " * 30,  # 420 > 300
    "applicant_phone": "0911222333" * 3,  # 30 > 20
    "applicant_email": "a" * 250 + "@example.vn",  # > 254
    "applicant_id_number": "0" * 21,  # > 20
    "procedure": "1" * 41,
}


@pytest.mark.parametrize("field", list(TOO_LONG))
def test_a_too_long_value_is_a_vietnamese_400_through_the_api(client, staff, field):
    response = post_json(
        as_user(client, "chuyenvien"), "/api/v1/dossiers/", {**BODY, field: TOO_LONG[field]}
    )
    body = assert_refused(response)
    assert field in body["fields"] and all(vietnamese(m) for m in all_messages(body["fields"]))
    assert Dossier.objects.count() == 0


def test_the_address_limit_holds_for_every_caller():
    from motcua.workflow import actions

    with pytest.raises(DomainError) as refused:
        actions.check_applicant(
            actions.ApplicantData(name="Lò Văn Chiến", address=TOO_LONG["applicant_address"])
        )
    assert refused.value.code == "invalid_applicant" and vietnamese(refused.value.message)


def test_the_online_form_limits_the_email(client, staff, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    page = client.post(
        "/nop-truc-tuyen/2.001035/",
        {
            "applicant_name": "Đặng Thị Hoa",
            "applicant_id_number": "019190004321",
            "applicant_phone": "0977111222",
            "applicant_email": TOO_LONG["applicant_email"],
            "applicant_address": TOO_LONG["applicant_address"],
        },
    )
    assert page.status_code == 400 and Dossier.objects.count() == 0


def test_the_portal_serializer_limits_every_applicant_field():
    from motcua.integrations.api import PortalDossierSerializer

    good = {
        "madonvi": "000.00.05605",
        "MaHoSo": "H19.1-260101-0001",
        "MaTTHC": "2.001035",
        "ChuHoSo": "Lò Văn Chiến",
        "LoaiDoiTuong": "1",
    }
    assert PortalDossierSerializer(data=good).is_valid()
    for field, value in (("Email", TOO_LONG["applicant_email"]), ("ChuHoSo", "A" * 201)):
        form = PortalDossierSerializer(data={**good, field: value})
        assert not form.is_valid() and field in form.errors


# --- DRF's messages and the token endpoint in Vietnamese ---------------------------------------


def test_drf_field_messages_read_vietnamese(client, staff):
    api = as_user(client, "chuyenvien")
    body = assert_refused(
        post_json(
            api,
            "/api/v1/dossiers/",
            {
                **BODY,
                "channel": "bo-cau",
                "copies": "nhieu",
                "components": "khong-phai-danh-sach",
                "draft": "co-le",
                "forms": [],
                "applicant_birth_date": "30/02/1990",
            },
        )
    )
    assert body["code"] == "invalid"
    assert set(body["fields"]) >= {"channel", "copies", "components", "draft", "forms"}
    messages = all_messages(body["fields"])
    assert messages and all(vietnamese(m) for m in messages), messages
    listed = assert_refused(post_json(api, "/api/v1/dossiers/", [1, 2]))
    assert all(vietnamese(m) for m in all_messages(listed["fields"]))


def test_the_token_endpoint_answers_detail_and_code(client, staff):
    wrong = client.post("/api/v1/auth/token/", {"username": "chuyenvien", "password": "sai"})
    assert wrong.status_code == 400
    assert wrong.json() == {
        "detail": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "code": "wrong_credentials",
    }
    missing = assert_refused(client.post("/api/v1/auth/token/", {"username": "chuyenvien"}))
    assert "password" in missing["fields"]
    assert all(vietnamese(m) for m in all_messages(missing["fields"]))
    assert token_for(client, "chuyenvien")


ACTION_TOO_LONG = {
    "note": "Lý do cụ thể. " * 300,  # 4,200 > 4,000
    "collected_by": "Nguyễn Văn An " * 20,  # 280 > 200
    "transferred_to": "Ủy ban nhân dân huyện " * 20,  # 440 > 300
    "components": ["Giấy tờ " * 100],  # 800 > 600
}


@pytest.mark.parametrize("field", list(ACTION_TOO_LONG))
def test_a_too_long_value_on_a_move_is_refused_and_changes_nothing(client, staff, field):
    api = as_user(client, "chuyenvien")
    code = post_json(api, "/api/v1/dossiers/", BODY).json()["code"]
    before = DossierEvent.objects.count()
    response = post_json(
        api, f"/api/v1/dossiers/{code}/actions/start_review/", {field: ACTION_TOO_LONG[field]}
    )
    body = assert_refused(response)
    assert field in body["fields"] and all(vietnamese(m) for m in all_messages(body["fields"]))
    assert DossierEvent.objects.count() == before
    assert Dossier.objects.get(code=code).state == "received"


def test_the_number_of_copies_is_bounded_through_the_api(client, staff):
    response = post_json(
        as_user(client, "chuyenvien"), "/api/v1/dossiers/", {**BODY, "copies": 10**9}
    )
    assert "copies" in assert_refused(response)["fields"] and Dossier.objects.count() == 0


@pytest.mark.django_db
def test_a_nul_character_in_a_query_parameter_is_a_400_everywhere(client, staff):
    # PostgreSQL cannot compare text holding NUL: refused before any query (schemathesis found
    # it through /api/v1/procedures/?field=%0DW%00%1Bw)
    response = client.get("/api/v1/procedures/?field=%0DW%00%1Bw")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert client.get("/thu-tuc/?q=a%00b").status_code == 400
    assert client.login(username=staff.head.username, password=PASSWORD)
    assert client.get("/ho-so/?q=%00").status_code == 400
