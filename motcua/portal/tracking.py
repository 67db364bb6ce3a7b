"""What the citizen sees of a dossier: no personal data, only the procedure, the steps, the
appointment, the electronic result and what they must do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from motcua.core.formatting import money_vi
from motcua.core.lifecycle import Action, EventKind, State
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier
from motcua.portal.models import OneTimeCode

# Every event a dossier's history can hold, said for the citizen: each Action and each
# EventKind has its line (a test keeps the table complete). The steps on files are internal:
# a group is shown once, at its first event, under one line.
DIGITISED = "Hồ sơ được số hoá"
RESULT_IN_PROGRESS = "Kết quả đang được ký, đóng dấu"
CITIZEN_LABELS: dict[str, str] = {
    EventKind.CREATE: "Hồ sơ được lập",
    EventKind.IMPORT: "Hồ sơ được chuyển từ phần mềm cũ sang",
    EventKind.ATTACH_COMPONENT: DIGITISED,
    EventKind.DESCRIBE_FILE: DIGITISED,
    EventKind.REUSE_DOCUMENT: DIGITISED,
    EventKind.ATTACH_RESULT: RESULT_IN_PROGRESS,
    EventKind.SIGN_RESULT: RESULT_IN_PROGRESS,
    EventKind.SEAL_RESULT: RESULT_IN_PROGRESS,
    EventKind.REQUEST_PAYMENT: "Mời nộp phí, lệ phí",
    EventKind.CANCEL_PAYMENT_REQUEST: "Yêu cầu nộp phí, lệ phí được tính lại",
    EventKind.RECORD_PAYMENT: "Đã nhận phí, lệ phí và lập biên lai điện tử",
    EventKind.FLAG_PAYMENT: "Đã nhận một khoản nộp, Bộ phận Một cửa đang kiểm tra",
    EventKind.REFUND_PAYMENT: "Đã hoàn trả phí, lệ phí",
    EventKind.REPLACE_RECEIPT: "Biên lai điện tử được lập lại",
    EventKind.PURGE_UNCONFIRMED: "Hồ sơ không được xác nhận nên đã bị xoá",
    EventKind.RATE: "Ông/bà đã đánh giá mức độ hài lòng",
    Action.SUBMIT_ONLINE: "Đã nộp hồ sơ trực tuyến",
    Action.RECEIVE: "Bộ phận Một cửa tiếp nhận hồ sơ",
    Action.REQUEST_COMPLETION: "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    Action.REFUSE_RECEPTION: "Từ chối tiếp nhận hồ sơ",
    Action.START_REVIEW: "Công chức chuyên môn thẩm định hồ sơ",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    Action.RECEIVE_SUPPLEMENT: "Đã nhận hồ sơ bổ sung",
    Action.SUBMIT_FOR_APPROVAL: "Trình lãnh đạo xem xét",
    Action.SEND_BACK: "Lãnh đạo yêu cầu xem xét lại",
    Action.APPROVE: "Lãnh đạo đã ký duyệt",
    Action.ISSUE: "Văn thư đã vào số, đóng dấu: đã có kết quả",
    Action.RETURN_RESULT: "Đã trả kết quả",
    Action.MARK_NOT_COLLECTED: "Nhắc ông/bà đến nhận kết quả",
    Action.APOLOGIZE: "Xin lỗi và hẹn lại ngày trả kết quả",
    Action.REFUSE: "Từ chối giải quyết",
    Action.STOP: "Dừng giải quyết",
    Action.WITHDRAW: "Rút hồ sơ theo đề nghị của người nộp",
    Action.TRANSFER: "Chuyển liên thông đến cơ quan có thẩm quyền",
}
# An event recorded by a later version that this table does not know yet: never its code.
UNKNOWN_STEP = "Hồ sơ được cập nhật"
# Lines shown once however many events they stand for.
ONCE = {DIGITISED, RESULT_IN_PROGRESS}
# Notes the citizen must read (what to supplement, why refused); other notes stay internal.
PUBLIC_NOTES = {
    Action.REQUEST_COMPLETION,
    Action.REQUEST_SUPPLEMENT,
    Action.REFUSE,
    Action.REFUSE_RECEPTION,
    Action.STOP,
    Action.APOLOGIZE,
}


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    label: str
    note: str


def citizen_label(kind: str) -> str:
    return CITIZEN_LABELS.get(kind, UNKNOWN_STEP)


def public_steps(dossier: Dossier) -> list[PublicStep]:
    steps, shown = [], set()
    for e in dossier.events.order_by("seq"):
        label = citizen_label(e.action)
        if label in ONCE:
            if label in shown:
                continue
            shown.add(label)
        note = e.note if e.action in PUBLIC_NOTES else ""
        steps.append(PublicStep(timezone.localtime(e.at), label, note))
    return steps


def awaiting_code(dossier: Dossier) -> bool:
    """An online draft whose one-time code was never confirmed (not yet sent to the desk)."""
    return (
        dossier.state == State.DRAFT
        and OneTimeCode.objects.filter(dossier=dossier, confirmed_at__isnull=True).exists()
    )


def next_step(dossier: Dossier, desk_name: str, *, result_ready: bool = False) -> str:
    """What the citizen must do now, in one sentence."""
    state = State(dossier.state)
    due = (
        timezone.localtime(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y") if dossier.due_at else ""
    )
    if state == State.DRAFT and awaiting_code(dossier):
        return (
            "Hồ sơ chưa được gửi đi: ông/bà cần nhập mã xác nhận đã nhận qua thư điện tử "
            "hoặc tin nhắn (bấm “Nhập mã xác nhận” bên dưới)."
        )
    if state == State.AWAITING_RECEPTION:
        return "Hồ sơ đã nộp, đang chờ cán bộ kiểm tra và tiếp nhận. Ông/bà chưa cần làm gì thêm."
    if state in (State.DRAFT, State.AWAITING_SUPPLEMENT):
        last = dossier.events.filter(
            action__in=[Action.REQUEST_COMPLETION, Action.REQUEST_SUPPLEMENT]
        ).last()
        what = f": {nfc(last.note)}" if last else ""
        return f"Ông/bà cần bổ sung hồ sơ{what}. Vui lòng nộp bổ sung tại {desk_name}."
    if state in (State.RECEIVED, State.IN_REVIEW, State.AWAITING_APPROVAL, State.AWAITING_ISSUE):
        return f"Hồ sơ đang được giải quyết; ông/bà chưa cần làm gì. Hẹn trả kết quả: {due}."
    if state == State.DONE:
        if result_ready:
            return (
                "Đã có kết quả. Ông/bà tải văn bản kết quả điện tử ở bên dưới; nếu cần bản giấy, "
                f"mời đến {desk_name} (mang theo giấy hẹn)."
            )
        pay = ""
        if dossier.fee_paid_at is None:
            if dossier.fee_amount:
                pay = (
                    f" và nộp phí, lệ phí {money_vi(dossier.fee_amount)} (tại quầy, hoặc "
                    "chuyển khoản ngay bằng mã VietQR bên dưới)"
                )
            elif dossier.procedure_version.fee:
                pay = f" và nộp phí, lệ phí theo quy định ({dossier.procedure_version.fee_display})"
        return f"Đã có kết quả. Mời ông/bà đến {desk_name} nhận kết quả (mang theo giấy hẹn){pay}."
    if state == State.RETURNED:
        return "Đã trả kết quả. Cảm ơn ông/bà."
    if state == State.TRANSFERRED:
        return "Hồ sơ đã được chuyển đến cơ quan có thẩm quyền; kết quả sẽ trả tại Bộ phận Một cửa."
    return "Hồ sơ đã kết thúc xử lý; xem lý do ở dòng cuối của tiến trình bên dưới."
