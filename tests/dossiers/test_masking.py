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
