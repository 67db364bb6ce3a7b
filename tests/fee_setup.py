"""A commune that charges a fee, in one place: Bình Thành's contract-certification fee
(Thông tư 226/2016/TT-BTC: 50.000 đồng a contract or transaction; free for a poor household's
member, its Điều 4), its own collection account and tax code. The ``fees`` fixture
(tests/conftest.py) applies it."""

from __future__ import annotations

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.payments.models import PaymentSettings
from tests.dossier_states import dossier_in

CONTRACT_RULE = {
    "basis": "ho_so",
    "kind": "phi",
    "name": "Phí chứng thực hợp đồng, giao dịch",
    "price": 50000,
    "legal_basis": "Thông tư 226/2016/TT-BTC",
    "exemptions": [["ho_ngheo", 100, "Điều 4 Thông tư 226/2016/TT-BTC"]],
}
CONTRACT_FEE = 50000
BIN, ACCOUNT = "970415", "113366668888"
TAX_CODE = "4600123456"


def charge(staff) -> None:
    version = Procedure.objects.get(code="2.001035").current_version
    version.fee_rule = CONTRACT_RULE
    version.fee = CONTRACT_FEE
    version.save(update_fields=["fee_rule", "fee"])
    PaymentSettings.objects.create(
        unit=staff.binh_thanh,
        bank_bin=BIN,
        bank_name="VietinBank",
        account_number=ACCOUNT,
        account_name="UBND XA BINH THANH",
        tax_code=TAX_CODE,
        receipt_series="AB",
    )


def received(staff) -> Dossier:
    """A contract dossier of Bình Thành under review (its fee may be asked)."""
    return dossier_in("in_review", staff)
