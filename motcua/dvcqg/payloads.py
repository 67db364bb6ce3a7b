"""What one event tells the portal: the dossier as DongBoHoSoMC carries it, and the progress
step of CapNhatTienDoHoSoMC. Built in the dossier's transaction, from the dossier as the event
left it, so every row is a snapshot that can be sent again unchanged. Field names:
docs/portal.md."""

from __future__ import annotations

from datetime import datetime

from motcua.core.dvcqg import portal_status, portal_time, step_status
from motcua.core.lifecycle import EVENT_LABELS, ROLE_LABELS, Action, EventKind, State
from motcua.dossiers.models import DVCQG_CHANNEL, Dossier, DossierEvent, FeePaidVia
from motcua.units.queries import desk_of_unit

ORGANISATION = Dossier.ApplicantKind.ORGANISATION


def agency_code(unit_id: str) -> str:
    """The desk's agency code on the portal (madonvi): as mapped, else its electronic code."""
    desk = desk_of_unit(unit_id)
    return desk.portal_agency_code or desk.electronic_code


def procedure_code(dossier: Dossier) -> str:
    """The procedure's MaTTHC on the portal: as mapped, else our code."""
    return dossier.procedure.portal_code or dossier.procedure.code


def dossier_record(dossier: Dossier, portal_code: str, event: DossierEvent | None = None) -> dict:
    """The dossier in DongBoHoSoMC's shape, as it stands now."""
    version = dossier.procedure_version
    received = dossier.received_at is not None
    status = portal_status(dossier.state, received=received, fee_due=fee_due(dossier))
    record = {
        "MaHoSo": portal_code,
        "MaTTHC": procedure_code(dossier),
        "TenTTHC": version.name,
        "MaLinhVuc": version.field.slug,
        "TenLinhVuc": version.field.name,
        "SoBienNhan": dossier.code or "",
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": "2" if dossier.applicant_kind == ORGANISATION else "1",
        "MaDoiTuong": dossier.applicant_id_number,
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": f"{version.name} — {dossier.applicant_name}",
        "NgayTiepNhan": portal_time(dossier.received_at or dossier.submitted_at),
        "NgayHenTra": portal_time(dossier.due_at),
        "TrangThaiHoSo": str(int(status)),
        "NgayTra": portal_time(dossier.returned_at),
        "HinhThuc": "0" if dossier.paper_location == "none" else "1",
        "NgayKetThucXuLy": portal_time(dossier.ended_at),
        "DonViXuLy": dossier.transferred_to or desk_of_unit(dossier.unit_id).name,
        "GhiChu": "",
        "KenhThucHien": str(DVCQG_CHANNEL[dossier.channel]),
        "HoSoCoThanhPhanSoHoa": "1" if dossier.components_digitised else "0",
        "DuocThanhToanTrucTuyen": PAID_ONLINE.get(dossier.fee_paid_via, "0"),
        "TaiLieuNop": [
            {
                "TepDinhKemId": "",
                "TenTepDinhKem": name,
                "MaThanhPhanHoSo": _component_code(version, name),
                "DuocSoHoa": "1" if dossier.components_digitised else "0",
                "DuocTaiSuDung": "1" if dossier.reused_stored_document else "0",
            }
            for name in dossier.submitted_components
        ],
        "DanhSachLePhi": fee_list(dossier),
        "DanhSachHoSoBoSung": _supplements(event),
        "DanhSachGiayToKetQua": (
            [{"TenGiayTo": version.result, "GiayToId": dossier.code or "", "MaGiayToKetQua": ""}]
            if dossier.done_at is not None and dossier.state in (State.DONE, State.RETURNED)
            else []
        ),
    }
    return record


# DuocThanhToanTrucTuyen: 1 paid on the national portal's payment platform, 2 through a
# payment channel of the ministry or locality (a transfer to the unit's account by VietQR),
# 0 not paid online (docs/fees.md, docs/portal.md).
PAID_ONLINE = {FeePaidVia.PORTAL: "1", FeePaidVia.BANK: "2"}
# LoaiPhiLePhi: 1 phí, 2 lệ phí (the portal's catalogue; docs/portal.md).
FEE_KIND_CODE = {"phi": "1", "le_phi": "2"}


def fee_due(dossier: Dossier) -> bool:
    return dossier.fee_amount is not None and dossier.fee_paid_at is None


def fee_list(dossier: Dossier) -> list[dict]:
    """DanhSachLePhi: the amount asked of this dossier (its request), else the procedure's
    published amount for one case; empty when nothing is charged."""
    version = dossier.procedure_version
    rule = version.fee_rule or {}
    amount = dossier.fee_amount if dossier.fee_amount is not None else version.fee
    if not amount:
        return []
    return [
        {
            "TenPhiLePhi": rule.get("name") or "Phí, lệ phí",
            "MaPhiLePhi": "",
            "HinhThucThu": "",
            "Gia": str(amount),
            "LoaiPhiLePhi": FEE_KIND_CODE.get(rule.get("kind", "le_phi"), "2"),
        }
    ]


def _component_code(version, name: str) -> str:
    for component in version.components:
        if component.get("name") == name:
            return str(component.get("code", ""))
    return ""


def _supplements(event: DossierEvent | None) -> list[dict]:
    """The supplement (or extension) this event records, with the old and new appointment."""
    if event is None:
        return []
    if event.action == Action.REQUEST_SUPPLEMENT:
        return [
            {
                "NoiDungBoSung": event.note,
                "NgayYeuCauBoSung": portal_time(event.at),
                "NgayHenTraTruoc": "",
                "NgayHenTraMoi": "",
            }
        ]
    if event.action == Action.RECEIVE_SUPPLEMENT:
        return [
            {
                "NoiDungBoSung": event.note,
                "NgayTiepNhanBoSung": portal_time(event.at),
                "NgayHenTraTruoc": _iso_time(event.data.get("old_due_at")),
                "NgayHenTraMoi": _iso_time(event.data.get("due_at")),
            }
        ]
    return []


def _iso_time(value: str | None) -> str:
    return portal_time(datetime.fromisoformat(value)) if value else ""


def progress_step(
    dossier: Dossier, portal_code: str, event: DossierEvent, action: Action | EventKind
) -> dict:
    """The event as one CapNhatTienDoHoSoMC step."""
    status = step_status(
        action, dossier.state, received=dossier.received_at is not None, fee_due=fee_due(dossier)
    )
    content = EVENT_LABELS.get(event.action, event.action)
    if event.note:
        content = f"{content}: {event.note}"
    if action == Action.APOLOGIZE:
        old, new = event.data.get("old_due_at"), event.data.get("new_due_at")
        content = f"{content} (hẹn cũ {_iso_time(old)}, hẹn mới {_iso_time(new)})"
    step = {
        "MaHoSo": portal_code,
        "NguoiXuLy": event.actor_name,
        "ChucDanh": ROLE_LABELS.get(event.actor_role, event.actor_role),
        "ThoiDiemXuLy": portal_time(event.at),
        "PhongBanXuLy": desk_of_unit(dossier.unit_id).name,
        "NoiDungXuLy": content,
        "TrangThai": str(int(status)),
        "NgayBatDau": portal_time(event.at),
        "NgayKetThucTheoQuyDinh": portal_time(dossier.due_at),
    }
    if action == Action.APOLOGIZE:
        step["NgayHenTraTruoc"] = _iso_time(event.data.get("old_due_at"))
        step["NgayHenTraMoi"] = _iso_time(event.data.get("new_due_at"))
    return step
