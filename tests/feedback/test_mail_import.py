"""Feedback by e-mail (issue 14, item 2): an mbox of the desk's feedback address imported with
``motcua import-feedback-mail``; a message with no content is refused, one already imported
is skipped, a real attachment is kept and a fake one refuses its message."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command

from motcua.feedback.models import Feedback
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def message(mid: str, body: str, attach: bytes | None = None, name="don.pdf") -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Phạm Thị Lan <lan.pham@example.vn>"
    m["To"] = "phananh@binhthanh.gov.vn"
    m["Subject"] = "Phản ánh về việc chứng thực"
    m["Message-ID"] = mid
    m["Date"] = "Mon, 30 Nov 2026 08:15:00 +0700"
    m.set_content(body)
    if attach is not None:
        m.add_attachment(attach, maintype="application", subtype="pdf", filename=name)
    return m


def test_an_mbox_is_imported_once(staff, tmp_path, capsys):
    path = tmp_path / "hop-thu.mbox"
    box = mailbox.mbox(path)
    box.add(message("<1@example.vn>", "Cán bộ thu phí chứng thực cao hơn niêm yết.", pdf_bytes()))
    box.add(message("<2@example.vn>", "   "))  # no content
    box.add(message("<3@example.vn>", "Kèm ảnh giả.", b"MZ not a pdf", "anh.pdf"))
    box.add(message("<1@example.vn>", "Cán bộ thu phí chứng thực cao hơn niêm yết."))  # again
    box.flush()
    with pytest.raises(CommandError):
        call_command("import-feedback-mail", "--unit", "05605", str(path))
    out = capsys.readouterr()
    assert "Nhận 1 phản ánh, bỏ qua 1 thư đã nhập, không nhận 2 thư." in out.out
    assert "hop-thu.mbox thư 2" in out.err and "hop-thu.mbox thư 3" in out.err
    fb = Feedback.objects.get()
    assert (fb.source, fb.sender_name, fb.sender_email, fb.message_id) == (
        "email",
        "Phạm Thị Lan",
        "lan.pham@example.vn",
        "<1@example.vn>",
    )
    assert fb.title == "Phản ánh về việc chứng thực"
    assert fb.files.get().mime_type == "application/pdf"
    # the clock starts when the message arrived: Monday 30/11/2026 → answer by 21/12/2026
    assert fb.handle_by.isoformat() == "2026-12-21"
    # again: nothing new
    with pytest.raises(CommandError):
        call_command("import-feedback-mail", "--unit", "05605", str(path))
    assert Feedback.objects.count() == 1
