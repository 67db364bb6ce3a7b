"""GET /api/v1/procedures/{code}/fee: the amount of one case, for anyone.

Amounts from TT 226/2016/TT-BTC (certified copy: 2.000 đồng/trang for pages 1–2, 1.000
from page 3, at most 200.000 a copy; signature 10.000 a case) and, for hộ tịch, Hải Phòng's
NQ 12/2018/NQ-HĐND (confirmation of marital status 5.000 đồng; 0 online, NQ 23/2026).
"""

from __future__ import annotations

import pytest

from motcua.catalog.actions import import_procedures_file
from motcua.demo.load import CATALOGUE_FILE

COPY = "2.000815"  # chứng thực bản sao từ bản chính
SIGNATURE = "2.000884"  # chứng thực chữ ký
MARITAL = "1.004873"  # cấp Giấy xác nhận tình trạng hôn nhân


@pytest.fixture
def demo(db):
    import_procedures_file(CATALOGUE_FILE)


def fee(client, code, **params):
    return client.get(f"/api/v1/procedures/{code}/fee/", params)


@pytest.mark.parametrize(
    "params, amount",
    [
        ({}, 2_000),
        ({"pages": 2}, 4_000),
        ({"pages": 3}, 5_000),
        ({"pages": 10}, 12_000),
        ({"pages": 198}, 200_000),
        ({"pages": 199}, 200_000),
        ({"pages": 3, "copies": 2}, 10_000),
        ({"pages": 0}, 0),
    ],
)
def test_certified_copy_by_pages_and_copies(client, demo, params, amount):
    response = fee(client, COPY, **params)
    assert response.status_code == 200
    data = response.json()
    assert data["amount"] == amount
    assert sum(line["amount"] for line in data["lines"]) == amount
    assert data["kind"] == "phi"
    assert "226/2016/TT-BTC" in data["basis"]


def test_signature_is_per_case(client, demo):
    data = fee(client, SIGNATURE, pages=12, copies=3).json()
    assert data["amount"] == 10_000
    assert data["lines"] == [
        {"label": "Phí chứng thực", "quantity": 1, "unit_price": 10_000, "amount": 10_000}
    ]


def test_civil_status_online_and_exemption(client, demo):
    assert fee(client, MARITAL).json()["amount"] == 5_000
    assert fee(client, MARITAL, channel="truc_tuyen").json()["amount"] == 0
    poor = fee(client, MARITAL, exemption="ho_ngheo").json()
    assert poor["amount"] == 0
    assert poor["kind"] == "le_phi"
    assert "16/2023" in poor["basis"]


def test_the_path_without_the_slash_answers_too(client, demo):
    response = client.get(f"/api/v1/procedures/{COPY}/fee", {"pages": 3}, follow=True)
    assert response.status_code == 200
    assert response.json()["amount"] == 5_000


@pytest.mark.parametrize(
    "params, words",
    [
        ({"pages": "ba"}, "Số trang"),
        ({"pages": "-1"}, "Số trang"),
        ({"pages": "2.5"}, "Số trang"),
        ({"copies": "100001"}, "Số bản"),
        ({"pages": "100001"}, "Số trang"),
        ({"pages": "9" * 40}, "Số trang"),
        ({"units": "x"}, "Số lượng"),
        ({"channel": "buu_dien"}, "Kênh nộp"),
        ({"exemption": "vip"}, "đối tượng miễn, giảm"),
    ],
)
def test_bad_parameters_are_400_in_vietnamese(client, demo, params, words):
    response = fee(client, COPY, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_fee"
    assert words in body["detail"]


def test_unknown_procedure_is_404(client, demo):
    response = fee(client, "9.999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found"}


def test_the_schema_documents_the_fee(client, db):
    body = client.get("/api/schema/").content.decode()
    assert "/api/v1/procedures/{code}/fee/" in body
    assert "truc_tuyen" in body
