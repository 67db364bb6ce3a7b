"""Feedback and petitions (phản ánh, kiến nghị): every step, one function each.

Each step checks (input, role, unit, state — raising a domain error, nothing stored), then does
its change in one transaction that holds the feedback's row lock, with one ``FeedbackEvent``
and, where the sender must hear of it, their message in the outbox (docs/feedback.md):

- ``receive_feedback``: at the desk, from the public page, an imported e-mail or the portal;
- ``classify_feedback``: what it is about, who handles it (the desk's head or deputy);
- ``refuse_feedback``, ``ask_for_more``, ``answer_feedback``, ``publish_feedback``;
- the sender's own, by their key: ``supplement_feedback``, ``rate_answer``, ``reopen_feedback``.

The deadlines are the unit's calendar's working days (``motcua.core.feedback``); the rules'
numbers are the province's (``feedback.queries.rules_for``), copied on the feedback when it
arrives so a later change of the rules does not move a running clock.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalog.models import Procedure
from motcua.core import feedback as rules
from motcua.core.errors import AccessError, DomainError
from motcua.core.feedback import About, FeedbackError, Source, Status
from motcua.core.identity import mask_email, mask_phone
from motcua.core.localtime import local_day
from motcua.counters import take_next
from motcua.documents.files import check_upload
from motcua.dossiers.models import Dossier, PersonalDataAccess
from motcua.dossiers.privacy import record_access
from motcua.feedback.models import (
    Feedback,
    FeedbackEvent,
    FeedbackFile,
    FeedbackRules,
    FeedbackSequence,
)
from motcua.feedback.queries import rules_for
from motcua.notifications.actions import queue_for_feedback
from motcua.units.access import MANAGER_ROLES, OFFICIAL_ROLES, active_official, is_admin
from motcua.units.audit import record_change
from motcua.units.models import Unit
from motcua.units.queries import calendar_for_unit

MAX_FILES = 3
SENDER = "Người gửi phản ánh"


@dataclass(frozen=True)
class FeedbackData:
    """What a sender says, as typed (checked by :func:`check_feedback`)."""

    title: str
    content: str
    sender_name: str
    sender_phone: str = ""
    sender_email: str = ""
    sender_address: str = ""
    about: str = About.OTHER
    procedure_code: str = ""
    dossier_code: str = ""


@dataclass(frozen=True)
class Checked:
    title: str
    content: str
    sender_name: str
    sender_phone: str
    sender_email: str
    sender_address: str
    about: About
    procedure: Procedure | None
    dossier: Dossier | None


# --- who may -----------------------------------------------------------------------------------


def _official_of(user: User | None, unit_id: str) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.unit_id == unit_id
        and user.has_role(*OFFICIAL_ROLES)
    )


def check_official(user: User | None, fb: Feedback) -> None:
    if is_admin(user):
        return
    if not _official_of(user, fb.unit_id):
        raise AccessError(
            "Chỉ cán bộ của xã nhận phản ánh mới xử lý được phản ánh này.", "other_unit"
        )


def check_manager(user: User, fb: Feedback) -> None:
    """Classifying, assigning, refusing and publishing are the desk's head's or deputy's."""
    check_official(user, fb)
    if not (is_admin(user) or user.has_role(*MANAGER_ROLES)):
        raise AccessError(
            "Chỉ Trưởng, Phó Bộ phận Một cửa mới phân loại, giao, từ chối hoặc công khai phản ánh.",
            "role_required",
        )


def check_handler(user: User, fb: Feedback) -> None:
    """Asking and answering: the official it was given to, or the head or deputy."""
    check_official(user, fb)
    if fb.assignee_id == user.pk or is_admin(user) or user.has_role(*MANAGER_ROLES):
        return
    raise AccessError("Phản ánh này được giao cho cán bộ khác xử lý.", "role_required")


def check_state(fb: Feedback, *allowed: Status, what: str) -> None:
    if Status(fb.status) not in allowed:
        raise FeedbackError(
            f"Không thể {what}: phản ánh đang ở trạng thái “{fb.status_label.lower()}”.",
            "feedback_state",
        )


# --- input -------------------------------------------------------------------------------------


def check_phone(value: str) -> str:
    phone = "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")
    if phone and not (9 <= len(phone.lstrip("+")) <= 12):
        raise FeedbackError("Số điện thoại không hợp lệ (9 đến 12 chữ số).")
    return phone


def code_of(value) -> str:
    """A procedure's or a dossier's code as typed: letters, digits, dots and dashes only (a
    NUL or any other character cannot be a code, and PostgreSQL refuses NUL in text)."""
    text = str(value or "").strip()[:60]
    return text if all(ch.isalnum() or ch in ".-" for ch in text) else "?"


def check_feedback(unit: Unit, data: FeedbackData) -> Checked:
    """The texts (NFC, within bounds, a content required), a way to answer the sender, what it
    is about, and the procedure and the dossier it names, which must be the unit's."""
    title = rules.check_text(data.title, "Tiêu đề", limit=rules.MAX_TITLE, required=False)
    content = rules.check_text(data.content, "Nội dung phản ánh", limit=rules.MAX_CONTENT)
    name = rules.check_text(data.sender_name, "Họ tên người gửi", limit=200, required=False)
    if not any(ch.isalpha() for ch in name):
        raise FeedbackError("Hãy ghi họ tên người gửi (hoặc tên tổ chức).", "invalid_sender")
    phone = check_phone(data.sender_phone)
    email = (data.sender_email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise FeedbackError("Địa chỉ thư điện tử không hợp lệ.", "invalid_sender") from None
    address = rules.check_text(data.sender_address, "Địa chỉ", limit=300, required=False)
    if not (phone or email or address):
        raise FeedbackError(
            "Hãy để lại số điện thoại, thư điện tử hoặc địa chỉ để xã trả lời ông/bà.",
            "invalid_sender",
        )
    about = rules.choice(data.about or About.OTHER, About, "Nội dung phản ánh về")
    procedure = None
    procedure_code = code_of(data.procedure_code)
    if procedure_code:
        procedure = Procedure.objects.filter(code=procedure_code).first()
        if procedure is None:
            raise FeedbackError(f"Không có thủ tục mã “{procedure_code}” trong danh mục.")
    dossier = None
    dossier_code = code_of(data.dossier_code)
    if dossier_code:
        dossier = Dossier.objects.filter(code=dossier_code, unit=unit).first()
        if dossier is None:
            raise FeedbackError(f"Không có hồ sơ mã “{dossier_code}” tại {unit.name}.")
        procedure = procedure or dossier.procedure
        if about == About.OTHER:
            about = About.PROCEDURE
    return Checked(
        title or rules.title_from(content),
        content,
        name,
        phone,
        email,
        address,
        about,
        procedure,
        dossier,
    )


def check_files(files: Iterable) -> list[tuple[str, bytes, str]]:
    """Each attachment a real PDF, JPEG or PNG by its bytes (a renamed file is refused), at
    most :data:`MAX_FILES`."""
    files = [f for f in files if f is not None]
    if len(files) > MAX_FILES:
        raise FeedbackError(f"Gửi tối đa {MAX_FILES} tệp đính kèm.")
    checked = []
    for upload in files:
        data, mime = check_upload(upload)
        name = rules.check_text(getattr(upload, "name", "tep"), "Tên tệp", limit=200)
        checked.append((name, data, mime))
    return checked


def _attach(fb: Feedback, files: list[tuple[str, bytes, str]], now, *, from_sender: bool):
    FeedbackFile.objects.bulk_create(
        FeedbackFile(
            feedback=fb,
            name=name,
            mime_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            from_sender=from_sender,
            uploaded_at=now,
        )
        for name, data, mime in files
    )


# --- the record ---------------------------------------------------------------------------------


def _event(fb: Feedback, kind: str, actor: User | None, now, note: str = "", **data) -> None:
    FeedbackEvent.objects.create(
        feedback=fb,
        unit_id=fb.unit_id,
        kind=kind,
        at=now,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.display_name if actor is not None and actor.is_authenticated else SENDER,
        note=note,
        data=data,
    )


def _lock(pk) -> Feedback:
    fb = Feedback.objects.select_for_update().filter(pk=pk).first()
    if fb is None:
        raise DomainError("Không tìm thấy phản ánh.", "not_found")
    return fb


def _link(fb: Feedback) -> str:
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}/phan-anh/{fb.token}/"


def _day_after(unit_id: str):
    return calendar_for_unit(unit_id).working_day_after


def receive_feedback(
    unit: Unit,
    data: FeedbackData,
    source: str,
    *,
    official: User | None = None,
    files: Iterable = (),
    message_id: str = "",
    received_at: datetime | None = None,
) -> Feedback:
    """A new feedback to ``unit``. At the desk (``desk``) an official of the unit enters it;
    the public page, an imported e-mail and the portal need nobody. Its deadlines are set
    from the day it arrived (the day itself not counted)."""
    source = rules.choice(source, Source, "Nguồn phản ánh")
    if source == Source.DESK and not _official_of(official, unit.code):
        raise AccessError(
            "Chỉ cán bộ của xã mới nhập phản ánh nhận tại Bộ phận Một cửa.", "role_required"
        )
    checked = check_feedback(unit, data)
    attachments = check_files(files)
    clock = rules_for(unit)
    with transaction.atomic():
        now = received_at or timezone.now()
        day = local_day(now)
        due = rules.deadlines(day, clock, _day_after(unit.code))
        number = take_next(
            FeedbackSequence._meta.db_table, ("unit_code", "year"), (unit.code, day.year)
        )
        fb = Feedback.objects.create(
            unit=unit,
            code=f"PA-{unit.code}-{day.year}-{number:04d}",
            token=secrets.token_urlsafe(32),
            source=source,
            about=checked.about,
            procedure=checked.procedure,
            dossier=checked.dossier,
            title=checked.title,
            content=checked.content,
            sender_name=checked.sender_name,
            sender_phone=checked.sender_phone,
            sender_email=checked.sender_email,
            sender_address=checked.sender_address,
            message_id=message_id[:300],
            received_at=now,
            received_by=official if source == Source.DESK else None,
            refuse_by=due.refuse_by,
            ask_by=due.ask_by,
            handle_by=due.handle_by,
            handle_days=clock.handle,
            publish_days=clock.publish,
        )
        _attach(fb, attachments, now, from_sender=True)
        _event(fb, "receive", official, now, rules.SOURCE_LABELS[source], files=len(attachments))
        queue_for_feedback(
            fb,
            "receive",
            f"{unit.name} đã nhận phản ánh, kiến nghị của ông/bà ({fb.code}). "
            f"Hạn trả lời: {fb.handle_by:%d/%m/%Y}.",
            _link(fb),
        )
    return fb


def _colleague(unit_id: str, pk, message: str) -> User:
    found = active_official(unit_id, pk)
    if found is None:
        raise FeedbackError(message, "invalid_assignee")
    return found


def classify_feedback(
    user: User, pk, about: str, assignee_id=None, procedure_code: str = "", staff_id=None
) -> Feedback:
    """What it is about (766 5.1), who handles it, and — for a feedback about a member of
    staff — who that is (so the public text loses their name too): officials of the same
    commune."""
    with transaction.atomic():
        fb = _lock(pk)
        check_manager(user, fb)
        check_state(fb, Status.RECEIVED, Status.HANDLING, what="phân loại, giao xử lý")
        about = rules.choice(about, About, "Nội dung phản ánh về")
        assignee = None
        if assignee_id not in (None, ""):
            assignee = _colleague(
                fb.unit_id, assignee_id, "Người được giao phải là cán bộ đang làm việc của xã."
            )
        if staff_id not in (None, ""):
            fb.staff = _colleague(fb.unit_id, staff_id, "Cán bộ bị phản ánh phải là cán bộ của xã.")
        code = code_of(procedure_code)
        if code:
            procedure = Procedure.objects.filter(code=code).first()
            if procedure is None:
                raise FeedbackError(f"Không có thủ tục mã “{code}”.")
            fb.procedure = procedure
        now = timezone.now()
        fb.about, fb.assignee = about, assignee or fb.assignee or user
        fb.classified_at = fb.classified_at or now
        fb.status = Status.HANDLING
        fb.save()
        _event(
            fb,
            "classify",
            user,
            now,
            f"{rules.ABOUT_LABELS[about]}; giao {fb.assignee.display_name}",
            about=about,
            assignee=str(fb.assignee.pk),
            staff=str(fb.staff_id or ""),
        )
    return fb


def refuse_feedback(user: User, pk, reason: str) -> Feedback:
    """Not taken up (outside the commune's remit, no real content, already answered…), with
    the reason the sender is told."""
    reason = rules.check_text(reason, "Lý do từ chối", limit=2000)
    with transaction.atomic():
        fb = _lock(pk)
        check_manager(user, fb)
        check_state(fb, Status.RECEIVED, Status.HANDLING, what="từ chối tiếp nhận")
        now = timezone.now()
        fb.status, fb.refused_at, fb.answer = Status.REFUSED, now, reason
        fb.save()
        _event(fb, "refuse", user, now, reason)
        queue_for_feedback(
            fb,
            "refuse",
            f"Phản ánh {fb.code} không được tiếp nhận xử lý. Lý do: {reason}",
            _link(fb),
        )
    return fb


def ask_for_more(user: User, pk, question: str) -> Feedback:
    """Ask the sender for what is missing; the handling clock waits for their answer."""
    question = rules.check_text(question, "Nội dung cần bổ sung", limit=2000)
    with transaction.atomic():
        fb = _lock(pk)
        check_handler(user, fb)
        check_state(fb, Status.RECEIVED, Status.HANDLING, what="yêu cầu bổ sung")
        now = timezone.now()
        fb.status = Status.ASKING
        fb.first_asked_at = fb.first_asked_at or now
        fb.save()
        _event(fb, "ask", user, now, question)
        queue_for_feedback(
            fb,
            "ask",
            f"Để xử lý phản ánh {fb.code}, xin ông/bà bổ sung: {question}",
            _link(fb),
        )
    return fb


def supplement_feedback(pk, text: str, files: Iterable = (), *, official: User | None = None):
    """The sender's answer to a request (on their page, or given at the desk and entered by an
    official): the handling clock starts again, whole, from the day after."""
    text = rules.check_text(text, "Nội dung bổ sung", limit=rules.MAX_CONTENT)
    attachments = check_files(files)
    with transaction.atomic():
        fb = _lock(pk)
        if official is not None:
            check_official(official, fb)
        check_state(fb, Status.ASKING, what="bổ sung thông tin")
        now = timezone.now()
        fb.handle_by = rules.handle_by_after_supplement(
            local_day(now), rules.Rules(handle=fb.handle_days), _day_after(fb.unit_id)
        )
        fb.status = Status.HANDLING if fb.classified_at else Status.RECEIVED
        fb.save()
        _attach(fb, attachments, now, from_sender=True)
        _event(fb, "supplement", official, now, text, handle_by=fb.handle_by.isoformat())
    return fb


def answer_feedback(user: User, pk, answer: str, files: Iterable = ()) -> Feedback:
    """The commune's answer, sent to the sender; its publication is due within the rules'
    days, with a public text prepared without personal data for the official to read."""
    answer = rules.check_text(answer, "Nội dung trả lời", limit=rules.MAX_CONTENT)
    attachments = check_files(files)
    with transaction.atomic():
        fb = _lock(pk)
        check_handler(user, fb)
        check_state(fb, Status.RECEIVED, Status.HANDLING, what="trả lời")
        now = timezone.now()
        fb.answer, fb.answered_at, fb.answered_by = answer, now, user
        fb.publish_by = rules.publish_by(
            local_day(now), rules.Rules(publish=fb.publish_days), _day_after(fb.unit_id)
        )
        fb.classified_at = fb.classified_at or now
        fb.assignee = fb.assignee or user
        names = personal_names(fb)
        fb.public_question = rules.redact(fb.content, names)
        fb.public_answer = rules.redact(answer, names)
        fb.status = Status.ANSWERED
        fb.save()
        _attach(fb, attachments, now, from_sender=False)
        _event(fb, "answer", user, now, answer, publish_by=fb.publish_by.isoformat())
        queue_for_feedback(
            fb,
            "answer",
            f"{fb.unit.name} trả lời phản ánh {fb.code}:\n{answer}\n"
            "Ông/bà có thể cho biết có hài lòng với câu trả lời không tại đường dẫn dưới đây.",
            _link(fb),
        )
    return fb


def personal_names(fb: Feedback) -> list[str]:
    names = [fb.sender_name]
    if fb.staff_id:
        names.append(fb.staff.display_name)
    if fb.dossier_id:
        names.append(fb.dossier.applicant_name)
    return names


def publish_feedback(user: User, pk, question: str, answer: str) -> Feedback:
    """The question and the answer on the public page, as the official has read them: refused
    while they still hold an e-mail address, a phone or identity number or a name of the
    people involved."""
    question = rules.check_text(question, "Nội dung công khai", limit=rules.MAX_CONTENT)
    answer = rules.check_text(answer, "Trả lời công khai", limit=rules.MAX_CONTENT)
    with transaction.atomic():
        fb = _lock(pk)
        check_manager(user, fb)
        check_state(fb, Status.ANSWERED, what="công khai")
        names = personal_names(fb)
        for text in (question, answer):
            if rules.redact(text, names) != text:
                raise FeedbackError(
                    "Nội dung công khai còn thông tin cá nhân (họ tên, số điện thoại, số giấy "
                    "tờ, thư điện tử); hãy xoá trước khi công khai.",
                    "personal_data",
                )
        now = timezone.now()
        fb.public_question, fb.public_answer = question, answer
        fb.status, fb.published_at = Status.PUBLISHED, now
        fb.save()
        _event(fb, "publish", user, now)
    return fb


def rate_answer(pk, satisfied: bool) -> Feedback:
    """The sender's satisfaction with the answer (766 5.3); they may change their mind."""
    if not isinstance(satisfied, bool):
        raise FeedbackError("Hãy chọn hài lòng hoặc không hài lòng.")
    with transaction.atomic():
        fb = _lock(pk)
        check_state(fb, Status.ANSWERED, Status.PUBLISHED, what="đánh giá câu trả lời")
        now = timezone.now()
        fb.satisfied, fb.satisfied_at = satisfied, now
        fb.save(update_fields=["satisfied", "satisfied_at"])
        _event(fb, "rate", None, now, "Hài lòng" if satisfied else "Không hài lòng")
    return fb


def reopen_feedback(pk, reason: str) -> Feedback:
    """The sender raises it again after the answer: handled again from the day after, with the
    whole handling time; it counts as raised again in 766 5.3."""
    reason = rules.check_text(reason, "Lý do phản ánh lại", limit=rules.MAX_CONTENT)
    with transaction.atomic():
        fb = _lock(pk)
        check_state(fb, Status.ANSWERED, Status.PUBLISHED, what="phản ánh lại")
        now = timezone.now()
        fb.reopened += 1
        fb.handle_by = rules.handle_by_after_supplement(
            local_day(now), rules.Rules(handle=fb.handle_days), _day_after(fb.unit_id)
        )
        fb.status = Status.HANDLING
        fb.answered_at = fb.published_at = fb.publish_by = None
        fb.save()
        _event(fb, "reopen", None, now, reason, handle_by=fb.handle_by.isoformat())
    return fb


def sender_contact(user: User, fb: Feedback, address: str, where: str) -> tuple[str, str, str]:
    """The sender's phone, e-mail and address as ``user`` may see them: in full for the
    commune's officials (the showing logged, like a dossier's contact), masked (the address
    left out) for everyone else."""
    own = is_admin(user) or (user.unit_id == fb.unit_id and user.has_role(*OFFICIAL_ROLES))
    if not own:
        return (
            mask_phone(fb.sender_phone) if fb.sender_phone else "",
            mask_email(fb.sender_email) if fb.sender_email else "",
            "",
        )
    if fb.sender_phone or fb.sender_email or fb.sender_address:
        record_access(
            user,
            PersonalDataAccess.What.CONTACT,
            unit_id=fb.unit_id,
            address=address,
            detail=f"{where} {fb.code}",
        )
    return fb.sender_phone, fb.sender_email, fb.sender_address


def set_rules(user: User | None, province: Unit, clock: rules.Rules) -> None:
    """A province's working days for each step, in the configuration log. ``user`` None: the
    server's operator, from the command line (``motcua feedback-rules``)."""
    if user is not None and not (
        is_admin(user) or (user.unit_id == province.code and user.has_role(Role.OVERSEER))
    ):
        raise AccessError(
            "Chỉ quản trị hệ thống hoặc cán bộ cấp tỉnh mới đặt thời hạn xử lý phản ánh.",
            "role_required",
        )
    if province.level != Unit.Level.PROVINCE:
        raise FeedbackError("Thời hạn xử lý phản ánh được đặt cho một tỉnh, thành phố.")
    with transaction.atomic():
        row, _ = FeedbackRules.objects.select_for_update().get_or_create(province=province)
        before = [row.refuse_days, row.ask_days, row.handle_days, row.publish_days]
        row.refuse_days, row.ask_days = clock.refuse, clock.ask
        row.handle_days, row.publish_days = clock.handle, clock.publish
        row.save()
        record_change(
            "feedback_rules",
            unit=province,
            actor=user,
            target="Thời hạn xử lý phản ánh, kiến nghị (từ chối, yêu cầu bổ sung, trả lời, "
            "công khai; ngày làm việc)",
            before=before,
            after=[clock.refuse, clock.ask, clock.handle, clock.publish],
        )
