"""Personal data masked where it is not needed (issue 13, item 6): the province's overseer, or
an official of another unit, reads the applicant's phone, e-mail, address and birth date
masked, on the API and on the dossier page; the dossier's own unit reads them in full."""

from __future__ import annotations

import pytest

from motcua.core.identity import mask_address, mask_email, mask_phone
from motcua.workflow import actions
from tests.dossiers.conftest import intake
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
FULL = ("0912345678", "an@example.vn", "Thôn Nà Lẹng, xã Bình Thành")
MASKED = ("0912***678", "a***@example.vn", "…, xã Bình Thành")


@pytest.mark.parametrize(
    ("mask", "value", "shown"),
    [
        (mask_phone, "0912345678", "0912***678"),
        (mask_phone, "0912 345 678", "0912***678"),
        (mask_phone, "113", "***"),
        (mask_email, "an@example.vn", "a***@example.vn"),
        (mask_email, "khong-phai-thu", "***"),
        (mask_address, "Thôn Nà Lẹng, xã Bình Thành", "…, xã Bình Thành"),
        (mask_address, "Thôn Nà Lẹng", "…"),
        (mask_address, "", ""),
    ],
)
def test_the_masks(mask, value, shown):
    assert mask(value) == shown


@pytest.fixture
def dossier(staff):
    draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    return actions.perform(draft.pk, staff.specialist, "receive")


def api(client, username, path):
    assert client.login(username=username, password=PASSWORD)
    answer = client.get(path)
    assert answer.status_code == 200
    return answer


def test_the_overseer_reads_contact_data_masked_on_the_api(client, dossier):
    for path in ("/api/v1/dossiers/", f"/api/v1/dossiers/{dossier.code}/"):
        answer = api(client, "tinh", path)
        body = answer.content.decode()
        data = answer.json()
        row = data["results"][0] if "results" in data else data
        assert (row["applicant_phone"], row["applicant_email"], row["applicant_address"]) == MASKED
        assert not any(value in body for value in FULL)


def test_the_dossiers_unit_reads_them_in_full(client, dossier):
    row = api(client, "chuyenvien", f"/api/v1/dossiers/{dossier.code}/").json()
    assert (row["applicant_phone"], row["applicant_email"], row["applicant_address"]) == FULL


def test_the_overseers_dossier_page_masks_them_and_offers_no_call(client, dossier):
    page = api(client, "tinh", f"/ho-so/{dossier.pk}/").content.decode()
    assert all(value in page for value in MASKED)
    assert not any(value in page for value in FULL) and "tel:" not in page
    own = api(client, "chuyenvien", f"/ho-so/{dossier.pk}/").content.decode()
    assert "tel:0912345678" in own and "an@example.vn" in own


def test_the_overseers_log_book_masks_address_and_phone(client, dossier):
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import load_workbook

    month = timezone.localdate().strftime("%Y-%m")
    assert client.login(username="tinh", password=PASSWORD)
    xlsx = client.get("/ho-so/so-theo-doi/", {"thang": month, "xuat": "xlsx"})
    rows = [[c.value for c in r] for r in load_workbook(BytesIO(xlsx.content)).active]
    [line] = [r for r in rows if r[1] == dossier.code]
    assert line[5] == "…, xã Bình Thành, 0912***678"
    client.logout()
    assert client.login(username="chuyenvien", password=PASSWORD)
    xlsx = client.get("/ho-so/so-theo-doi/", {"thang": month, "xuat": "xlsx"})
    rows = [[c.value for c in r] for r in load_workbook(BytesIO(xlsx.content)).active]
    [line] = [r for r in rows if r[1] == dossier.code]
    assert line[5] == "Thôn Nà Lẹng, xã Bình Thành, 0912345678"


# --- the access log (who was shown whose data in full) -----------------------------------------


def accesses():
    from motcua.dossiers.models import PersonalDataAccess

    return list(PersonalDataAccess.objects.order_by("id").values_list("user__username", "what"))


def test_each_showing_of_full_contact_data_is_logged_and_masked_views_are_not(client, dossier):
    api(client, "tinh", f"/ho-so/{dossier.pk}/")
    api(client, "tinh", f"/api/v1/dossiers/{dossier.code}/")
    api(client, "tinh", "/api/v1/dossiers/")
    assert accesses() == []  # the overseer saw nothing in full
    client.logout()
    api(client, "chuyenvien", f"/ho-so/{dossier.pk}/")
    api(client, "chuyenvien", f"/api/v1/dossiers/{dossier.code}/")
    api(client, "chuyenvien", "/api/v1/dossiers/")
    assert accesses() == [
        ("chuyenvien", "contact"),
        ("chuyenvien", "contact"),
        ("chuyenvien", "list"),
    ]


def test_a_dossier_without_contact_data_logs_no_showing_anywhere(client, staff):
    applicant = actions.ApplicantData(name="Lò Văn Chiến")  # no phone, e-mail, address
    draft = actions.create_draft(
        staff.specialist, staff.binh_thanh.desk, intake(applicant=applicant)
    )
    bare = actions.perform(draft.pk, staff.specialist, "receive")
    api(client, "chuyenvien", f"/ho-so/{bare.pk}/")
    api(client, "chuyenvien", f"/api/v1/dossiers/{bare.code}/")
    api(client, "chuyenvien", "/api/v1/dossiers/")
    assert accesses() == []  # the page, the API's detail and its list agree: nothing was seen


def test_a_log_book_export_is_logged(client, dossier):
    from django.utils import timezone

    assert client.login(username="chuyenvien", password=PASSWORD)
    month = timezone.localdate().strftime("%Y-%m")
    client.get("/ho-so/so-theo-doi/", {"thang": month, "xuat": "xlsx"})
    from motcua.dossiers.models import PersonalDataAccess

    [row] = PersonalDataAccess.objects.all()
    assert row.what == "export" and "(XLSX), 1 hồ sơ" in row.detail and row.dossier_id is None


def test_the_access_log_exports_and_keeps_its_months(client, dossier, tmp_path, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from motcua.dossiers.models import PersonalDataAccess
    from motcua.dossiers.privacy import prune_access_log
    from motcua.tabular import read_table

    api(client, "chuyenvien", f"/ho-so/{dossier.pk}/")
    old = PersonalDataAccess.objects.get()
    PersonalDataAccess.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=800))
    api(client, "chuyenvien", f"/ho-so/{dossier.pk}/")
    call_command("access-log", "export", str(tmp_path / "nhat-ky.csv"))
    headers, rows = read_table(tmp_path / "nhat-ky.csv")
    last = dict(zip(headers, rows[-1], strict=True))
    assert len(rows) == 2 and last["Mã hồ sơ"] == dossier.code
    assert last["Tên đăng nhập"] == "chuyenvien" and last["Địa chỉ máy"] == "127.0.0.1"
    assert last["Dữ liệu"].startswith("Điện thoại, thư điện tử")
    assert settings.MOTCUA_ACCESS_LOG_MONTHS >= 12
    assert prune_access_log() == 1  # 800 days > 24 months; the recent line stays
    assert PersonalDataAccess.objects.count() == 1
