"""Queue notifications to the applicant in the dossier's transaction, with their sending task."""

from __future__ import annotations

from django.utils import timezone

from motcua.core.formatting import money_vi
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import rating_url, tracking_url
from motcua.feedback.models import Feedback
from motcua.notifications.models import Notification
from motcua.notifications.tasks import enqueue_all
from motcua.rows import insert_rows

SUBJECTS = {
    "receive": "Hồ sơ {code} đã được tiếp nhận",
    "request_completion": "Hồ sơ của ông/bà cần bổ sung, hoàn thiện",
    "request_supplement": "Hồ sơ {code} cần bổ sung",
    "apologize": "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
    "issue": "Hồ sơ {code} đã có kết quả",
    "return_result": "Hồ sơ {code} đã trả kết quả",
    "request_payment": "Hồ sơ {code}: mời nộp phí, lệ phí",
    "record_payment": "Hồ sơ {code}: đã nhận phí, lệ phí",
}


def message_for(dossier: Dossier, action: str, note: str) -> tuple[str, str]:
    code = dossier.code or "(chưa có mã)"
    due = (
        timezone.localtime(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y") if dossier.due_at else ""
    )
    subject = SUBJECTS[action].format(code=code)
    paper = dossier.paper_location != "none"
    lines = {
        "receive": f"Hồ sơ {dossier.procedure_version.name} đã được tiếp nhận, mã {code}. "
        f"Hẹn trả kết quả: {due}.",
        "request_completion": (
            f"Hồ sơ {dossier.procedure_version.name} chưa đủ. Cần bổ sung: {note}."
        ),
        "request_supplement": f"Hồ sơ {code} cần bổ sung: {note}. Thời gian chờ bổ sung không "
        "tính vào thời hạn giải quyết.",
        "apologize": f"Hồ sơ {code} chưa thể trả đúng hẹn. Lý do: {note}. Chúng tôi xin lỗi và "
        f"hẹn trả kết quả vào {due}.",
        "issue": f"Hồ sơ {code} đã có kết quả. "
        + (
            "Ông/bà tải văn bản kết quả điện tử (đã ký số) tại trang tra cứu dưới đây"
            + ("; bản giấy nhận tại Bộ phận Một cửa (mang theo giấy hẹn)." if paper else ".")
            if dossier.result_digitised
            else "Mời ông/bà đến nhận kết quả tại Bộ phận Một cửa (mang theo giấy hẹn)."
        ),
        "return_result": f"Hồ sơ {code} đã trả kết quả. Cảm ơn ông/bà. Mời ông/bà đánh giá "
        f"mức độ hài lòng: {rating_url(dossier, 'tin-nhan')}",
        "request_payment": f"Hồ sơ {code} cần nộp {money_vi(dossier.fee_amount or 0)} phí, "
        "lệ phí. Ông/bà nộp tại Bộ phận Một cửa hoặc chuyển khoản bằng mã VietQR trên trang "
        "tra cứu dưới đây.",
        "record_payment": f"Đã nhận {money_vi(dossier.fee_amount or 0)} phí, lệ phí của hồ sơ "
        f"{code}. Biên lai điện tử tải tại trang tra cứu dưới đây.",
    }
    body = f"{lines[action]}\nTra cứu: {tracking_url(dossier)}"
    return subject, body


SMS_LENGTH = 300


def sms_text(body: str) -> str:
    """An SMS of at most 300 characters that always ends with the tracking link."""
    if len(body) <= SMS_LENGTH:
        return body
    text, _, link = body.rpartition("\nTra cứu: ")
    room = SMS_LENGTH - len(link) - len("…\nTra cứu: ")
    return f"{text[:room].rstrip()}…\nTra cứu: {link}"


def queue_for_action(dossier: Dossier, action: str, note: str = "") -> list[Notification]:
    """Write the outbox rows and their sending task inside the caller's transaction."""
    if action not in SUBJECTS:
        return []
    subject, body = message_for(dossier, action, note)
    about = {"dossier": dossier, "unit_id": dossier.unit_id, "kind": action}
    return _queue(about, dossier.applicant_email, dossier.applicant_phone, subject, body)


def _queue(about: dict, email: str, phone: str, subject: str, body: str) -> list[Notification]:
    """The e-mail and the SMS of one message (where the person gave an address), with their
    sending task, inside the caller's transaction."""
    rows = []
    if email:
        rows.append(
            Notification(
                **about,
                channel=Notification.Channel.EMAIL,
                recipient=email,
                subject=subject,
                body=body,
            )
        )
    if phone:
        rows.append(
            Notification(
                **about,
                channel=Notification.Channel.SMS,
                recipient=phone,
                subject=subject,
                body=sms_text(body),
            )
        )
    insert_rows(Notification, rows)
    if rows:
        enqueue_all([row.pk for row in rows])
    return rows


FEEDBACK_SUBJECTS = {
    "receive": "Đã tiếp nhận phản ánh, kiến nghị {code}",
    "refuse": "Phản ánh, kiến nghị {code} không được tiếp nhận xử lý",
    "ask": "Phản ánh, kiến nghị {code} cần bổ sung thông tin",
    "answer": "Trả lời phản ánh, kiến nghị {code}",
}


def queue_for_feedback(feedback: Feedback, step: str, text: str, link: str) -> list[Notification]:
    """The sender's message of a step on their feedback (written in its transaction): the
    receipt with its deadline, a refusal's reason, a question, the answer; each with the
    link of their own page (/phan-anh/<token>/)."""
    if step not in FEEDBACK_SUBJECTS:
        return []
    subject = FEEDBACK_SUBJECTS[step].format(code=feedback.code)
    body = f"{text}\nTra cứu: {link}"
    about = {"feedback": feedback, "unit_id": feedback.unit_id, "kind": f"feedback_{step}"}
    return _queue(about, feedback.sender_email, feedback.sender_phone, subject, body)
