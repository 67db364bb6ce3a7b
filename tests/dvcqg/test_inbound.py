"""Dossiers submitted on the national portal and posted to ``/api/v1/portal/dossiers/``: a
portal client's token only, validated like any intake, nothing stored when refused, idempotent
by MaHoSo; then the desk's moves reach the FAKE portal under the portal's own code.

Expected values are written by hand from the issue's protocol: the status codes (1 Mới đăng
ký, 2 Được tiếp nhận, 3 Không được tiếp nhận, 5 Yêu cầu bổ sung giấy tờ), the time format
yyyyMMddHHmmss in Asia/Ho_Chi_Minh, the field names of DongBoHoSoMC.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import IntegrityError
from rest_framework.authtoken.models import Token

from motcua.catalog.models import Procedure
from motcua.core.lifecycle import State
from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier, DossierEvent, DossierSync
from motcua.dvcqg.models import OutboxRow, PortalClient, token_digest
from motcua.integrations import inbound
from motcua.units.models import Desk
from motcua.workflow import actions
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/portal/dossiers/"
TOKEN = "ma-truy-cap-cua-cong-thu-nghiem-0001"
PORTAL_CODE = "G22.99-250915-000123"
CCCD = "019090001111"  # 019 Thái Nguyên, 0 = nam sinh thế kỷ 20, 90 = năm 1990
# 15/09/2025 08:30 in Asia/Ho_Chi_Minh (UTC+7) is 01:30 UTC.
SUBMITTED = "20250915083000"
SUBMITTED_UTC = datetime(2025, 9, 15, 1, 30, tzinfo=UTC)
BIRTH = "1.001193"  # Đăng ký khai sinh, toàn trình: Tờ khai đăng ký khai sinh; Giấy chứng sinh
FORM, CERTIFICATE = "Tờ khai đăng ký khai sinh", "Giấy chứng sinh"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def files_on_disk(settings):
    def count() -> int:
        root = settings.MEDIA_ROOT
        return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0

    return count


@pytest.fixture
def papers():
    return {"pdf": factories.pdf_bytes("Tờ khai đăng ký khai sinh"), "jpeg": factories.jpeg_bytes()}


@pytest.fixture
def portal_client(staff):
    client = PortalClient.objects.create(
        name="Cổng DVCQG (thử nghiệm)", token_digest=token_digest(TOKEN)
    )
    client.units.add(staff.binh_thanh)
    return client


@pytest.fixture
def post(client, portal_client):
    def send(body, token=TOKEN, **headers):
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client.post(URL, body, content_type="application/json", **headers)

    return send


def body(papers, **changes) -> dict:
    data = {
        "madonvi": "T.05605",
        "MaHoSo": PORTAL_CODE,
        "MaTTHC": BIRTH,
        "TenTTHC": "Đăng ký khai sinh",
        "ChuHoSo": "Nguyễn Văn An",
        "LoaiDoiTuong": "1",
        "MaDoiTuong": CCCD,
        "Email": "an@example.vn",
        "SoDienThoai": "0912345678",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayTiepNhan": SUBMITTED,
        "KenhThucHien": "2",
        "TaiLieuNop": [
            {
                "TepDinhKemId": "tep-1",
                "TenTepDinhKem": "to-khai.pdf",
                "TenThanhPhanHoSo": FORM,
                "NoiDung": b64(papers["pdf"]),
                "KieuTep": "application/pdf",
            },
            {
                "TepDinhKemId": "tep-2",
                "TenTepDinhKem": "giay-chung-sinh.jpg",
                "TenThanhPhanHoSo": CERTIFICATE,
                "NoiDung": b64(papers["jpeg"]),
            },
        ],
    }
    data.update(changes)
    return data


def counts() -> dict[str, int]:
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "files": StoredFile.objects.count(),
        "syncs": DossierSync.objects.count(),
        "outbox": OutboxRow.objects.count(),
    }


NOTHING = {"dossiers": 0, "events": 0, "files": 0, "syncs": 0, "outbox": 0}


# --- the happy path ----------------------------------------------------------------------------


def test_a_portal_dossier_lands_in_the_worklist_awaiting_reception(
    client, post, staff, papers, portal_client
):
    answer = post(body(papers))
    assert answer.status_code == 201, answer.content
    data = answer.json()
    dossier = Dossier.objects.get()
    assert data == {
        "id": str(dossier.id),
        "code": None,
        "portal_code": PORTAL_CODE,
        "state": "awaiting_reception",
        "state_label": "Chờ tiếp nhận (nộp trực tuyến)",
        "tracking_url": data["tracking_url"],
    }
    assert data["tracking_url"].endswith(f"/tra-cuu/{dossier.tracking_token}/")

    assert dossier.state == State.AWAITING_RECEPTION
    assert dossier.channel == "online"
    assert dossier.unit_id == "05605"
    assert dossier.procedure.code == BIRTH
    assert dossier.submitted_at == SUBMITTED_UTC
    assert dossier.received_at is None and dossier.code is None
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Nguyễn Văn An", CCCD)
    assert (dossier.applicant_email, dossier.applicant_phone) == ("an@example.vn", "0912345678")
    assert dossier.submitted_components == [FORM, CERTIFICATE]

    (event,) = DossierEvent.objects.filter(dossier=dossier)
    assert (event.action, event.from_state, event.to_state) == (
        "submit_online",
        "",
        "awaiting_reception",
    )
    assert event.data["portal_code"] == PORTAL_CODE
    assert event.data["submitted_at"] == "2025-09-15T08:30:00+07:00"

    sync = DossierSync.objects.get(dossier=dossier)
    assert (sync.portal_code, sync.from_portal, sync.last_seq) == (PORTAL_CODE, True, 0)
    # The portal holds the dossier already: nothing is sent back for its submission.
    assert OutboxRow.objects.count() == 0

    stored = {f.component: f for f in StoredFile.objects.filter(dossier=dossier)}
    assert set(stored) == {FORM, CERTIFICATE}
    assert stored[FORM].sha256 == hashlib.sha256(papers["pdf"]).hexdigest()
    assert stored[FORM].mime_type == "application/pdf"
    assert stored[FORM].original_name == "to-khai.pdf"
    assert stored[CERTIFICATE].sha256 == hashlib.sha256(papers["jpeg"]).hexdigest()
    assert stored[CERTIFICATE].mime_type == "image/jpeg"
    assert stored[CERTIFICATE].content.read() == papers["jpeg"]

    portal_client.refresh_from_db()
    assert portal_client.last_used_at is not None

    # The desk sees it to receive.
    token = Token.objects.create(user=staff.specialist)
    listed = client.get(
        "/api/v1/worklist/", {"tab": "mine"}, HTTP_AUTHORIZATION=f"Token {token.key}"
    ).json()
    (item,) = [i for i in listed["results"] if i["id"] == str(dossier.id)]
    assert item["state"] == "awaiting_reception"
    assert item["channel"] == "online"
    assert item["next_action"]["action"] == "receive"
    assert datetime.fromisoformat(item["submitted_at"]) == SUBMITTED_UTC
    client.force_login(staff.specialist)
    page = client.get(f"/ho-so/{dossier.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chờ tiếp nhận" in html and "to-khai.pdf" in html and "giay-chung-sinh.jpg" in html


def test_a_desk_with_a_mapped_agency_code_and_a_mapped_procedure(post, staff, papers):
    """madonvi is the desk's portal code when one is mapped (its electronic code no longer
    names it), MaTTHC the procedure's mapped portal code."""
    desk = Desk.objects.get(unit=staff.binh_thanh)
    desk.portal_agency_code = "000.05.19.H22"
    desk.save()
    procedure = Procedure.objects.get(code=BIRTH)
    procedure.portal_code = "1.001193.000.00.00.H22"
    procedure.save()
    answer = post(body(papers, madonvi="000.05.19.H22", MaTTHC="1.001193.000.00.00.H22"))
    assert answer.status_code == 201, answer.content
    assert Dossier.objects.get().procedure.code == BIRTH
    refused = post(body(papers, madonvi="T.05605", MaHoSo="G22.99-250915-000124"))
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_agency"


def test_an_organisation_with_its_tax_code(post, staff, papers):
    answer = post(body(papers, ChuHoSo="Công ty TNHH 3A", LoaiDoiTuong=2, MaDoiTuong="0101234567"))
    assert answer.status_code == 201, answer.content
    dossier = Dossier.objects.get()
    assert (dossier.applicant_kind, dossier.applicant_id_number) == ("organisation", "0101234567")


# --- bad input: a 4xx with a Vietnamese reason, nothing stored --------------------------------


def _file(papers, **entry) -> list[dict]:
    first = {
        "TenTepDinhKem": "to-khai.pdf",
        "TenThanhPhanHoSo": FORM,
        "NoiDung": b64(papers["pdf"]),
    }
    return [{**first, **entry}]


# (changes to the body, status, code, a words of the Vietnamese reason), by hand.
BAD = {
    "wrong CCCD (province code 999)": (
        {"MaDoiTuong": "999090001111"},
        400,
        "invalid_identity",
        "không phải mã tỉnh",
    ),
    "old 9-digit ID": ({"MaDoiTuong": "019090001"}, 400, "invalid_identity", "chứng minh"),
    "CCCD born in the future": (
        {"MaDoiTuong": "019299001111"},  # 2 = nam sinh thế kỷ 21: năm 2099
        400,
        "invalid_identity",
        "năm sinh",
    ),
    "no ID at all": ({"MaDoiTuong": ""}, 400, "invalid_applicant", "MaDoiTuong"),
    "a person's name with digits": ({"ChuHoSo": "Nguyễn Văn 4n"}, 400, "invalid_applicant", "số"),
    "bad tax code": (
        {"LoaiDoiTuong": "2", "ChuHoSo": "Công ty 3A", "MaDoiTuong": "12345"},
        400,
        "invalid_identity",
        "Mã số thuế",
    ),
    "unknown procedure": ({"MaTTHC": "9.999999"}, 400, "unknown_procedure", "9.999999"),
    "unknown madonvi": ({"madonvi": "T.99999"}, 400, "unknown_agency", "T.99999"),
    "a unit the client is not linked to": ({"madonvi": "T.05611"}, 403, "other_unit", "Phú Đình"),
    "submission time in another format": (
        {"NgayTiepNhan": "15/09/2025 08:30"},
        400,
        "invalid_intake",
        "yyyyMMddHHmmss",
    ),
    "submission time missing": ({"NgayTiepNhan": ""}, 400, "invalid_intake", "NgayTiepNhan"),
    "submission time in the future": (
        {"NgayTiepNhan": "20991231235959"},
        400,
        "invalid_intake",
        "tương lai",
    ),
    "not an online submission": ({"KenhThucHien": "1"}, 400, "invalid_intake", "KenhThucHien"),
    "MaHoSo with a space": ({"MaHoSo": "G22 0001"}, 400, "invalid_intake", "MaHoSo"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_is_refused_and_nothing_is_stored(case, post, staff, papers, files_on_disk):
    changes, status, code, words = BAD[case]
    answer = post(body(papers, **changes))
    assert answer.status_code == status, answer.content
    assert answer.json()["code"] == code
    assert words in answer.json()["detail"]
    assert counts() == NOTHING
    assert files_on_disk() == 0


# A file that is not what it says: (the one TaiLieuNop entry, code, words of the reason).
BAD_FILES = {
    "JPEG bytes named .pdf": (
        lambda p: {"TenTepDinhKem": "to-khai.pdf", "NoiDung": b64(p["jpeg"])},
        "file_refused",
        "có đuôi .pdf nhưng nội dung là JPEG",
    ),
    "PDF bytes declared image/png": (
        lambda p: {"TenTepDinhKem": "to-khai", "KieuTep": "image/png"},
        "file_refused",
        "được khai là image/png nhưng nội dung là PDF",
    ),
    "PDF bytes named .docx": (
        lambda p: {"TenTepDinhKem": "to-khai.docx"},
        "file_refused",
        "có đuôi .docx",
    ),
    "text named .pdf": (
        lambda p: {"NoiDung": b64("Tờ khai".encode())},
        "file_refused",
        "không phải PDF, JPEG hay PNG",
    ),
    "a locked PDF": (
        lambda p: {"NoiDung": b64(factories.encrypted_pdf_bytes())},
        "file_refused",
        "mật khẩu",
    ),
    "a broken PDF": (
        lambda p: {"NoiDung": b64(b"%PDF-1.4\n" + b"x" * 200)},
        "file_refused",
        "bị hỏng",
    ),
    "not base64": (lambda p: {"NoiDung": "đây không phải base64!"}, "file_refused", "base64"),
    "an empty file": (lambda p: {"NoiDung": ""}, "file_refused", "không có nội dung"),
    "a component not in the catalogue": (
        lambda p: {"TenThanhPhanHoSo": "Sổ hộ khẩu"},
        "unknown_component",
        "Sổ hộ khẩu",
    ),
    "a component code the catalogue does not know": (
        lambda p: {"TenThanhPhanHoSo": "", "MaThanhPhanHoSo": "TP-99"},
        "unknown_component",
        "TP-99",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_file_that_is_not_what_it_says_is_refused(case, post, staff, papers, files_on_disk):
    entry, code, words = BAD_FILES[case]
    # The good certificate first: a later bad file refuses the whole dossier.
    good = _file(papers, TenTepDinhKem="giay.jpg", TenThanhPhanHoSo=CERTIFICATE)
    good[0]["NoiDung"] = b64(papers["jpeg"])
    answer = post(body(papers, TaiLieuNop=good + _file(papers, **entry(papers))))
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == code
    assert words in answer.json()["detail"]
    assert counts() == NOTHING
    assert files_on_disk() == 0


def test_a_file_over_the_size_limit_is_refused(post, staff, papers, settings, files_on_disk):
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    big = papers["pdf"] + b"\0" * (1024 * 1024)
    answer = post(body(papers, TaiLieuNop=_file(papers, NoiDung=b64(big))))
    assert answer.status_code == 400
    assert answer.json()["code"] == "file_refused" and "1 MB" in answer.json()["detail"]
    assert counts() == NOTHING and files_on_disk() == 0


def test_files_in_the_body_are_not_held_to_djangos_limit_for_bodies_in_memory(
    post, staff, papers, settings
):
    """Django refuses bodies above DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB) read in memory; here
    the files travel in the body, so it is read up to MOTCUA_MAX_REQUEST_MB instead."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    data = body(papers)
    assert len(json.dumps(data)) > 1_000
    answer = post(data)
    assert answer.status_code == 201, answer.content


def test_a_body_that_is_not_json_is_400(client, staff, portal_client):
    for raw in (b"{khong phai json", "{}".encode("utf-16")):
        answer = client.post(
            URL, raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
        )
        assert answer.status_code == 400 and answer.json()["code"] == "invalid"
        assert "không đọc được" in answer.json()["detail"]
    assert counts() == NOTHING


def test_a_malformed_body_is_400_with_its_fields(post, staff, papers):
    data = body(papers)
    del data["MaHoSo"]
    answer = post(data | {"LoaiDoiTuong": "3", "TaiLieuNop": "không phải danh sách"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert set(answer.json()["fields"]) == {"MaHoSo", "LoaiDoiTuong", "TaiLieuNop"}
    assert counts() == NOTHING


def test_only_json_is_read(client, portal_client):
    answer = client.post(URL, {"MaHoSo": "x"}, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status_code == 415 and answer.json()["code"] == "unsupported_media_type"


# --- who may post ------------------------------------------------------------------------------


def test_no_token_wrong_token_disabled_client_are_401(post, staff, papers, portal_client):
    missing = post(body(papers), token=None)
    assert missing.status_code == 401
    assert missing.json()["code"] == "not_authenticated"
    assert missing["WWW-Authenticate"].startswith("Bearer")
    wrong = post(body(papers), token="ma-sai")
    assert wrong.status_code == 401 and wrong.json()["code"] == "authentication_failed"
    assert "không đúng" in wrong.json()["detail"]
    malformed = post(body(papers), token=f"{TOKEN} thua")
    assert malformed.status_code == 401
    PortalClient.objects.filter(pk=portal_client.pk).update(is_active=False)
    disabled = post(body(papers))
    assert disabled.status_code == 401 and disabled.json()["code"] == "authentication_failed"
    assert counts() == NOTHING
    portal_client.refresh_from_db()
    assert portal_client.last_used_at is None


def test_officials_credentials_are_not_accepted_here(client, staff, papers, portal_client):
    client.force_login(staff.head)
    by_session = client.post(URL, body(papers), content_type="application/json")
    assert by_session.status_code == 401
    client.logout()
    token = Token.objects.create(user=staff.head)
    by_token = client.post(
        URL, body(papers), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert by_token.status_code == 401
    assert counts() == NOTHING


def test_the_portal_token_opens_nothing_else(client, staff, portal_client):
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    for address in ("/api/v1/dossiers/", "/api/v1/worklist/", "/api/v1/units/05605/desk/"):
        assert client.get(address, **bearer).status_code == 401, address
    intake = client.post(
        "/api/v1/dossiers/",
        {"procedure": BIRTH, "channel": "online", "applicant_name": "Nguyễn Văn An"},
        content_type="application/json",
        **bearer,
    )
    assert intake.status_code == 401
    assert client.get("/ho-so/", **bearer).status_code == 302  # the log-in page


def test_a_client_linked_to_two_units_posts_to_each(post, staff, papers, portal_client):
    portal_client.units.add(staff.neighbour)
    assert post(body(papers, madonvi="T.05611")).status_code == 201
    assert Dossier.objects.get().unit_id == "05611"


# --- idempotent by MaHoSo ----------------------------------------------------------------------


def test_the_same_dossier_posted_again_is_answered_and_not_stored_twice(
    post, staff, papers, files_on_disk
):
    first = post(body(papers))
    assert first.status_code == 201
    before, on_disk = counts(), files_on_disk()
    again = post(body(papers))
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert counts() == before and files_on_disk() == on_disk
    # Its ID written with spaces is the same applicant.
    spaced = post(body(papers, MaDoiTuong="019 090 001 111"))
    assert spaced.status_code == 200 and spaced.json()["id"] == first.json()["id"]
    # Once received, the answer says so.
    dossier = Dossier.objects.get()
    actions.perform(dossier.pk, staff.specialist, "receive")
    dossier.refresh_from_db()
    later = post(body(papers)).json()
    assert (later["code"], later["state"]) == (dossier.code, "received")


CONFLICTS = {
    "another procedure": {"MaTTHC": "1.000894"},
    "another applicant": {"MaDoiTuong": "019085001234"},
    "another kind of applicant": {"LoaiDoiTuong": "2", "ChuHoSo": "Công ty 3A"}
    | {"MaDoiTuong": "0101234567"},
}


@pytest.mark.parametrize("case", list(CONFLICTS), ids=list(CONFLICTS))
def test_the_same_portal_code_for_another_dossier_is_a_conflict(case, post, staff, papers):
    assert post(body(papers)).status_code == 201
    before = counts()
    answer = post(body(papers, **CONFLICTS[case]))
    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == "portal_code_conflict"
    assert PORTAL_CODE in answer.json()["detail"]
    assert counts() == before


def test_the_same_portal_code_at_another_unit_is_a_conflict(post, staff, papers, portal_client):
    portal_client.units.add(staff.neighbour)
    assert post(body(papers)).status_code == 201
    answer = post(body(papers, madonvi="T.05611"))
    assert answer.status_code == 409 and answer.json()["code"] == "portal_code_conflict"


def test_our_own_dossier_code_is_not_a_portal_code(post, staff, papers):
    desk = Desk.objects.get(unit=staff.binh_thanh)
    ours = actions.receive_dossier(
        staff.specialist,
        desk,
        actions.IntakeData(
            procedure_code=BIRTH,
            channel="direct",
            applicant=actions.ApplicantData(name="Nguyễn Văn An", id_number=CCCD),
            components=[FORM, CERTIFICATE],
        ),
    )
    assert DossierSync.objects.filter(portal_code=ours.code).exists()  # its own sync record
    answer = post(body(papers, MaHoSo=ours.code))
    assert answer.status_code == 409 and answer.json()["code"] == "portal_code_conflict"


def test_a_second_write_of_the_same_portal_code_rolls_back_whole(
    post, staff, papers, files_on_disk
):
    """Two posts of one dossier at once both pass the checks; the portal code's uniqueness
    stops the second when it writes, and nothing it wrote stays, files on disk included."""
    assert post(body(papers)).status_code == 201
    before, on_disk = counts(), files_on_disk()
    desk = Desk.objects.get(unit=staff.binh_thanh)
    intake = actions.IntakeData(
        procedure_code=BIRTH,
        channel="online",
        applicant=actions.ApplicantData(name="Nguyễn Văn An", id_number=CCCD),
        components=[FORM],
    )
    checked = [inbound.CheckedFile(FORM, "to-khai.pdf", papers["pdf"], "application/pdf")]
    with pytest.raises(IntegrityError):
        inbound.do_submit_from_portal(desk, intake, SUBMITTED_UTC, PORTAL_CODE, checked)
    assert counts() == before
    assert files_on_disk() == on_disk


# --- files by address: only from the configured portal -----------------------------------------


class FileServer:
    """A small HTTP server on loopback that serves fixed answers and records every request
    (a stand-in for where a portal keeps its files; it is not the FAKE portal)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def do_GET(self):
                owner.requests.append(self.path)
                status, headers, data = owner.routes.get(self.path, (404, {}, b"khong co"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except ConnectionError:  # the client stopped reading (a file over the limit)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def file_server():
    server = FileServer()
    try:
        yield server
    finally:
        server.stop()


def by_address(address: str, component: str = FORM, name: str = "to-khai.pdf") -> list[dict]:
    return [{"TenTepDinhKem": name, "TenThanhPhanHoSo": component, "DuongDanTaiTepTin": address}]


def test_a_file_fetched_from_the_portal(post, staff, papers, settings, file_server):
    settings.MOTCUA_DVCQG_URL = file_server.url  # the portal's host serves its files
    file_server.routes["/tep/to-khai"] = (200, {"Content-Type": "application/pdf"}, papers["pdf"])
    file_server.routes["/tep/chung-sinh?id=2"] = (200, {}, papers["jpeg"])
    files = by_address(f"{file_server.url}/tep/to-khai") + by_address(
        "/tep/chung-sinh?id=2", CERTIFICATE, "giay-chung-sinh.jpg"
    )
    answer = post(body(papers, TaiLieuNop=files))
    assert answer.status_code == 201, answer.content
    stored = {f.component: f.sha256 for f in StoredFile.objects.all()}
    assert stored == {
        FORM: hashlib.sha256(papers["pdf"]).hexdigest(),
        CERTIFICATE: hashlib.sha256(papers["jpeg"]).hexdigest(),
    }
    assert file_server.requests == ["/tep/to-khai", "/tep/chung-sinh?id=2"]


def test_the_old_name_duong_dan_is_read_too(post, staff, papers, settings, file_server):
    settings.MOTCUA_DVCQG_URL = file_server.url
    file_server.routes["/tep/1"] = (200, {}, papers["pdf"])
    entry = {"TenTepDinhKem": "to-khai.pdf", "TenThanhPhanHoSo": FORM, "DuongDan": "/tep/1"}
    assert post(body(papers, TaiLieuNop=[entry])).status_code == 201


@pytest.mark.parametrize(
    "route, words",
    [
        ((302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""), "chuyển hướng"),
        ((404, {}, b"khong co"), "HTTP 404"),
        ((500, {}, b"loi"), "HTTP 500"),
    ],
    ids=["a redirect is not followed", "not found", "server error"],
)
def test_a_portal_that_does_not_hand_the_file_over(
    route, words, post, staff, papers, settings, file_server, files_on_disk
):
    settings.MOTCUA_DVCQG_URL = file_server.url
    file_server.routes["/tep/1"] = route
    answer = post(body(papers, TaiLieuNop=by_address("/tep/1")))
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == "portal_file_unavailable"
    assert words in answer.json()["detail"] and "gửi lại sau" in answer.json()["detail"]
    assert file_server.requests == ["/tep/1"]
    assert counts() == NOTHING and files_on_disk() == 0


def test_a_fetched_file_over_the_limit_is_refused(post, staff, papers, settings, file_server):
    settings.MOTCUA_DVCQG_URL = file_server.url
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    file_server.routes["/tep/lon"] = (200, {}, papers["pdf"] + b"\0" * (1024 * 1024))
    answer = post(body(papers, TaiLieuNop=by_address("/tep/lon")))
    assert answer.status_code == 400 and answer.json()["code"] == "file_refused"
    assert "1 MB" in answer.json()["detail"]
    assert counts() == NOTHING


def test_a_fetched_file_that_is_not_what_it_says(post, staff, papers, settings, file_server):
    settings.MOTCUA_DVCQG_URL = file_server.url
    file_server.routes["/tep/anh"] = (200, {}, papers["jpeg"])
    answer = post(body(papers, TaiLieuNop=by_address("/tep/anh", name="to-khai.pdf")))
    assert answer.status_code == 400 and answer.json()["code"] == "file_refused"
    assert counts() == NOTHING


@pytest.mark.parametrize(
    "address",
    [
        "{files}/tep/1",  # the same host, another port: not the portal
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:{port}/tep/1",
        "//{files_host}/tep/1",
        "{portal}@{files_host}/tep/1",
        "https://{portal_host}/tep/1",  # the portal's host, another scheme
        "file:///etc/passwd",
        "gopher://{portal_host}/tep",
    ],
)
def test_an_address_off_the_portal_is_refused_without_a_request(
    address, post, staff, papers, fake_portal, file_server, files_on_disk
):
    file_server.routes["/tep/1"] = (200, {}, papers["pdf"])
    files_host = file_server.url.removeprefix("http://")
    portal_host = fake_portal.url.removeprefix("http://")
    address = address.format(
        files=file_server.url,
        files_host=files_host,
        port=files_host.split(":")[1],
        portal=fake_portal.url,
        portal_host=portal_host,
    )
    answer = post(body(papers, TaiLieuNop=by_address(address)))
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == "file_refused"
    assert "không thuộc Cổng DVCQG" in answer.json()["detail"]
    assert file_server.requests == []
    assert counts() == NOTHING and files_on_disk() == 0


def test_no_address_is_fetched_without_a_portal_connection(post, staff, papers, settings):
    settings.MOTCUA_DVCQG_URL = ""
    answer = post(body(papers, TaiLieuNop=by_address("http://127.0.0.1:9/tep/1")))
    assert answer.status_code == 400 and answer.json()["code"] == "file_refused"
    assert "NoiDung" in answer.json()["detail"]


# --- then the desk, and the status back to the FAKE portal -------------------------------------


def received_on_portal(fake_portal, code: str) -> tuple[dict, list[dict], list[dict]]:
    state = fake_portal.snapshot()
    assert state["FAKE"]  # the fake says what it is
    calls = [c for c in state["calls"] if c["MaHoSo"] == code]
    return state["dossiers"].get(code, {}), state["steps"].get(code, []), calls


@pytest.mark.django_db(transaction=True)
def test_the_desk_receives_it_and_the_portal_hears_under_its_own_code(
    client, post, staff, papers, fake_portal
):
    assert post(body(papers)).status_code == 201
    dossier = Dossier.objects.get()
    client.force_login(staff.specialist)
    page = client.post(f"/ho-so/{dossier.pk}/thao-tac/receive/", {"note": ""})
    assert page.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.code

    record, steps, calls = received_on_portal(fake_portal, PORTAL_CODE)
    assert record["MaHoSo"] == PORTAL_CODE
    assert record["TrangThaiHoSo"] == "2"  # Được tiếp nhận
    assert record["SoBienNhan"] == dossier.code  # our own code, given at receipt
    assert record["KenhThucHien"] == "2"
    assert record["MaTTHC"] == BIRTH
    assert record["MaDoiTuong"] == CCCD
    assert [s["TrangThai"] for s in steps] == ["2"]
    assert [(c["service"], c.get("isUpdating")) for c in calls] == [
        ("DongBoHoSoMC", "True"),
        ("CapNhatTienDoHoSoMC", None),
    ]
    # Nothing under our own code: the portal knows the dossier by its MaHoSo only.
    assert dossier.code not in fake_portal.snapshot()["dossiers"]
    assert OutboxRow.objects.filter(status="sent").count() == 2
    sync = DossierSync.objects.get(dossier=dossier)
    assert (sync.portal_code, sync.pending) == (PORTAL_CODE, 0)


@pytest.mark.django_db(transaction=True)
def test_a_refusal_at_reception_reaches_the_portal_as_not_received(
    client, post, staff, papers, fake_portal
):
    assert post(body(papers)).status_code == 201
    dossier = Dossier.objects.get()
    client.force_login(staff.specialist)
    client.post(
        f"/ho-so/{dossier.pk}/thao-tac/refuse_reception/",
        {"note": "Giấy chứng sinh không đúng người được khai sinh"},
    )
    dossier.refresh_from_db()
    assert dossier.state == State.REFUSED and dossier.code is None

    record, steps, calls = received_on_portal(fake_portal, PORTAL_CODE)
    assert record["TrangThaiHoSo"] == "3"  # Không được tiếp nhận
    assert [s["TrangThai"] for s in steps] == ["3"]
    assert "Giấy chứng sinh không đúng" in steps[0]["NoiDungXuLy"]
    assert calls[0]["isUpdating"] == "True"


@pytest.mark.django_db(transaction=True)
def test_a_request_for_completion_reaches_the_portal_then_the_receipt(
    client, post, staff, papers, fake_portal
):
    assert post(body(papers)).status_code == 201
    dossier = Dossier.objects.get()
    client.force_login(staff.specialist)
    client.post(
        f"/ho-so/{dossier.pk}/thao-tac/request_completion/",
        {"note": "Ảnh giấy chứng sinh bị mờ, đề nghị chụp lại"},
    )
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_RECEPTION

    record, steps, calls = received_on_portal(fake_portal, PORTAL_CODE)
    assert record["TrangThaiHoSo"] == "1"  # still Mới đăng ký: not received yet
    assert [s["TrangThai"] for s in steps] == ["5"]  # Yêu cầu bổ sung giấy tờ
    assert calls[0]["isUpdating"] == "True"

    client.post(f"/ho-so/{dossier.pk}/thao-tac/receive/", {"note": ""})
    record, steps, calls = received_on_portal(fake_portal, PORTAL_CODE)
    assert record["TrangThaiHoSo"] == "2"
    assert [s["TrangThai"] for s in steps] == ["5", "2"]
    assert {c.get("isUpdating") for c in calls if c["service"] == "DongBoHoSoMC"} == {"True"}
