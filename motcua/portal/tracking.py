"""What the citizen sees of a dossier: no personal data, only the procedure, the steps, the
appointment and what they must do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from motcua.core.lifecycle import State
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier

PUBLIC_STEPS = {
    "create": "Hồ sơ được lập",
    "submit_online": "Nộp hồ sơ trực tuyến",
    "receive": "Bộ phận Một cửa tiếp nhận hồ sơ",
    "request_completion": "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    "start_review": "Công chức chuyên môn thẩm định hồ sơ",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "receive_supplement": "Đã nhận hồ sơ bổ sung",
    "submit_for_approval": "Trình lãnh đạo xem xét",
    "send_back": "Lãnh đạo yêu cầu xem xét lại",
    "approve": "Lãnh đạo đã ký duyệt",
    "issue": "Văn thư đã vào số, đóng dấu: đã có kết quả",
    "return_result": "Đã trả kết quả",
    "apologize": "Xin lỗi và hẹn lại ngày trả kết quả",
    "refuse": "Từ chối giải quyết",
    "refuse_reception": "Từ chối tiếp nhận",
    "stop": "Dừng giải quyết",
    "withdraw": "Rút hồ sơ theo đề nghị của người nộp",
    "transfer": "Chuyển liên thông đến cơ quan khác",
    "mark_not_collected": "Nhắc nhận kết quả",
    "import": "Chuyển từ phần mềm cũ",
}
# Notes the citizen must read (what to supplement, why refused); other notes stay internal.
PUBLIC_NOTES = {
    "request_completion",
    "request_supplement",
    "refuse",
    "refuse_reception",
    "stop",
    "apologize",
}


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    label: str
    note: str


def public_steps(dossier: Dossier) -> list[PublicStep]:
    return [
        PublicStep(
            timezone.localtime(e.at),
            PUBLIC_STEPS.get(e.action, e.action),
            e.note if e.action in PUBLIC_NOTES else "",
        )
        for e in dossier.events.order_by("seq")
    ]


def next_step(dossier: Dossier, desk_name: str) -> str:
    """What the citizen must do now, in one sentence."""
    state = State(dossier.state)
    due = (
        timezone.localtime(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y") if dossier.due_at else ""
    )
    if state == State.AWAITING_RECEPTION:
        return "Hồ sơ đã nộp, đang chờ cán bộ kiểm tra và tiếp nhận. Ông/bà chưa cần làm gì thêm."
    if state in (State.DRAFT, State.AWAITING_SUPPLEMENT):
        last = dossier.events.filter(action__in=["request_completion", "request_supplement"]).last()
        what = f": {nfc(last.note)}" if last else ""
        return f"Ông/bà cần bổ sung hồ sơ{what}. Vui lòng nộp bổ sung tại {desk_name}."
    if state in (State.RECEIVED, State.IN_REVIEW, State.AWAITING_APPROVAL, State.AWAITING_ISSUE):
        return f"Hồ sơ đang được giải quyết; ông/bà chưa cần làm gì. Hẹn trả kết quả: {due}."
    if state == State.DONE:
        fee = dossier.procedure_version.fee
        pay = f" và nộp phí, lệ phí {fee:,} đồng".replace(",", ".") if fee else ""
        return f"Đã có kết quả. Mời ông/bà đến {desk_name} nhận kết quả (mang theo giấy hẹn){pay}."
    if state == State.RETURNED:
        return (
            "Đã trả kết quả. Cảm ơn ông/bà; xin mời đánh giá mức độ hài lòng tại Bộ phận Một cửa."
        )
    if state == State.TRANSFERRED:
        return "Hồ sơ đã được chuyển đến cơ quan có thẩm quyền; kết quả sẽ trả tại Bộ phận Một cửa."
    return "Hồ sơ đã kết thúc xử lý; xem lý do ở dòng cuối của tiến trình bên dưới."
