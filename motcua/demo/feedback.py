"""The demo's feedback (phản ánh, kiến nghị): a dozen from the last weeks, each taken through
the desk's own steps (``motcua.workflow.feedback``), so the list shows every state, a countdown
in each colour, published answers on /phan-anh/ and the 766 group 5 figures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.feedback.models import Feedback
from motcua.units.models import Desk
from motcua.workflow import feedback as steps

# (days ago, about, title, content, sender, phone, what happens)
ITEMS = [
    (
        9,
        "procedure",
        "Hướng dẫn chứng thực chưa rõ",
        "Tôi đến chứng thực bản sao sổ hộ khẩu, "
        "cán bộ bảo thiếu giấy tờ nhưng không ghi rõ thiếu gì.",
        "Trần Văn Bình",
        "0912000111",
        "publish",
    ),
    (
        8,
        "staff",
        "Cán bộ tiếp dân nhiệt tình",
        "Tôi muốn cảm ơn cán bộ tư pháp đã hướng dẫn tận tình việc đăng ký khai sinh cho con.",
        "Lò Thị Nga",
        "0913000222",
        "publish",
    ),
    (
        6,
        "regulation",
        "Phí chứng thực chữ ký",
        "Đề nghị niêm yết rõ mức phí chứng thực chữ ký cho từng trường hợp.",
        "Vi Văn Toàn",
        "0914000333",
        "publish",
    ),
    (
        4,
        "procedure",
        "Hẹn trả kết quả muộn",
        "Giấy hẹn ghi 3 ngày nhưng đến ngày hẹn chưa có kết quả đăng ký kết hôn.",
        "Hà Thị Thu",
        "0915000444",
        "answer",
    ),
    (
        3,
        "procedure",
        "Nộp trực tuyến bị lỗi tệp",
        "Tôi nộp hồ sơ trên mạng, tải tệp ảnh lên nhưng báo lỗi.",
        "Nông Văn Dũng",
        "0916000555",
        "answer",
    ),
    (
        5,
        "other",
        "Xin số điện thoại bộ phận một cửa",
        "Tôi gọi số trên bảng niêm yết không được.",
        "Hoàng Thị Yến",
        "0917000666",
        "ask",
    ),
    (
        30,
        "procedure",
        "Chưa được giải quyết đơn",
        "Tôi nộp đơn đề nghị xác nhận tình trạng hôn nhân từ lâu mà chưa có trả lời.",
        "Đàm Văn Hải",
        "0918000777",
        "assign",
    ),
    (
        7,
        "staff",
        "Thái độ cán bộ tiếp nhận",
        "Cán bộ trả lời cộc lốc khi tôi hỏi về thủ tục.",
        "Ma Thị Hạnh",
        "0919000888",
        "assign",
    ),
    (
        2,
        "procedure",
        "Chờ lâu ở quầy",
        "Sáng thứ Hai tôi chờ hơn một tiếng mới đến lượt.",
        "Lý Văn Quang",
        "0920000999",
        "assign",
    ),
    (
        1,
        "regulation",
        "Đề nghị làm việc sáng thứ Bảy",
        "Người đi làm xa không kịp đến trong giờ hành chính; đề nghị xã tiếp nhận sáng thứ Bảy.",
        "Triệu Thị Mây",
        "0921000111",
        "receive",
    ),
    (
        0,
        "procedure",
        "Hỏi về cấp bản sao trích lục",
        "Tôi cần bản sao trích lục khai tử của bố, xin hướng dẫn.",
        "Bế Văn Lực",
        "0922000222",
        "receive",
    ),
    (
        3,
        "other",
        "Khiếu nại đất đai",
        "Tranh chấp ranh giới đất với hàng xóm.",
        "Sầm Văn Khải",
        "0923000333",
        "refuse",
    ),
]
ANSWER = (
    "Ủy ban nhân dân xã đã tiếp nhận, kiểm tra và chỉ đạo Bộ phận Một cửa khắc phục; "
    "xin cảm ơn ông/bà đã phản ánh."
)


def add_demo_feedback(desk: Desk) -> int:
    """None when the demo already has feedback."""
    unit = desk.unit
    if Feedback.objects.filter(unit=unit).exists():
        return 0
    head = User.objects.filter(unit=unit, staff_roles__role=Role.HEAD).first()
    handler = User.objects.filter(unit=unit, staff_roles__role=Role.SPECIALIST).first() or head
    now = timezone.now()
    for days, about, title, content, name, phone, step in ITEMS:
        fb = steps.receive_feedback(
            unit,
            steps.FeedbackData(
                title=title, content=content, sender_name=name, sender_phone=phone, about=about
            ),
            "web" if days % 2 else "desk",
            official=head if days % 2 == 0 else None,
            received_at=now - timedelta(days=days, hours=2),
        )
        if step == "receive":
            continue
        if step == "refuse":
            steps.refuse_feedback(
                head,
                fb.pk,
                "Nội dung là tranh chấp đất đai, thuộc thẩm quyền hòa giải, "
                "giải quyết theo Luật Đất đai; xin mời ông/bà liên hệ công chức địa chính.",
            )
            continue
        steps.classify_feedback(head, fb.pk, about, handler.pk)
        if step == "ask":
            steps.ask_for_more(handler, fb.pk, "Xin cho biết số điện thoại ông/bà đã gọi.")
        elif step in ("answer", "publish"):
            steps.answer_feedback(handler, fb.pk, ANSWER)
            if step == "publish":
                fb.refresh_from_db()
                steps.publish_feedback(head, fb.pk, fb.public_question, fb.public_answer)
                steps.rate_answer(fb.pk, days != 6)
    return len(ITEMS)
