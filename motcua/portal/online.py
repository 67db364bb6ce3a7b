"""Online submission by the citizen (nộp hồ sơ trực tuyến), confirmed by a one-time code.

Where no national portal connection exists (demo, kiosks, tests) this page plays the portal's
role: the dossier lands in the desk's reception queue (chờ tiếp nhận) until an official
receives it, which fixes its code, receipt time and appointment.

Limits count what costs something and what can be abused: the codes sent, per destination
(an e-mail or a phone) and per dossier. A citizen who corrects a mistake and posts again is
never counted, and a kiosk or a shared Wi-Fi where many people share one address is never
blocked for its address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion
from motcua.core.components import is_required
from motcua.core.errors import DomainError, DossierError
from motcua.core.lifecycle import Action
from motcua.documents.files import check_upload, store_component
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.queries import tracking_url
from motcua.notifications.sms import sms_backend
from motcua.portal import holding
from motcua.portal.models import CodeSend, OneTimeCode
from motcua.units.models import Desk
from motcua.workflow import actions

CODE_LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5
SEND_WINDOW = timedelta(hours=1)
CODES_PER_DESTINATION = 5  # per SEND_WINDOW, whatever dossier they are for
CODES_PER_DOSSIER = 3  # per SEND_WINDOW: the first code and two more


class CodeLimitError(DossierError):
    """Too many codes sent to one destination or for one dossier; ``retry_at`` says when."""

    default_code = "too_many_codes"

    def __init__(self, message: str, retry_at: datetime):
        super().__init__(message)
        self.retry_at = retry_at


def code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def destination_of(applicant: actions.ApplicantData) -> str:
    """Where the code goes: the e-mail if given, else the phone (both normalised)."""
    return applicant.email or applicant.phone


# --- components and files --------------------------------------------------------------------


def required_slots(version: ProcedureVersion) -> list[int]:
    """The components a fully online (toàn trình) submission must attach: each mandatory one,
    unless it is marked conditional (needed only in some cases). A partly online procedure
    may be completed at the desk, so nothing is required there."""
    if version.online_level != ProcedureVersion.OnlineLevel.FULL:
        return []
    return [i for i, c in enumerate(version.components) if is_required(c)]


def take_files(
    token: str, version: ProcedureVersion, uploads, removed: set[int]
) -> tuple[dict[int, holding.HeldFile], dict[int, str]]:
    """Check each new upload and keep the good ones under ``token``; return the files now held
    by component slot and the error of each refused file (also for a missing required one)."""
    errors: dict[int, str] = {}
    for slot in removed:
        holding.release(token, slot)
    for slot, _component in enumerate(version.components):
        upload = uploads.get(f"file-{slot}")
        if upload is None:
            continue
        try:
            data, mime = check_upload(upload)
        except DomainError as exc:
            errors[slot] = exc.message
        else:
            holding.hold(token, slot, str(upload.name), data, mime)
    kept = holding.held(token)
    for slot in required_slots(version):
        if slot not in kept and slot not in errors:
            errors[slot] = "Thủ tục nộp trực tuyến toàn trình: cần đính kèm giấy tờ này."
    return kept, errors


# --- limits ----------------------------------------------------------------------------------


def local_moment(moment: datetime) -> str:
    """ "14:35", or "00:10 ngày 12/03/2026" when it is not today."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%H:%M ngày %d/%m/%Y")


def help_from(desk: Desk) -> str:
    """What to do instead of waiting: the desk, and its hotline when it has one."""
    line = desk.hotline or desk.phone
    call = f", hoặc gọi đường dây nóng {line}" if line else ""
    return f"Ông/bà cũng có thể đến {desk.name} để được hỗ trợ nộp hồ sơ{call}."


def retry_moment(sends: list[datetime], limit: int) -> datetime | None:
    """When a send is allowed again, given the send moments in the window (None: now)."""
    if len(sends) < limit:
        return None
    ordered = sorted(sends)
    return ordered[len(ordered) - limit] + SEND_WINDOW


def check_code_allowed(destination: str, dossier: Dossier | None, desk: Desk) -> None:
    """Refuse a new code when the destination or the dossier already had their share."""
    since = timezone.now() - SEND_WINDOW
    recent = CodeSend.objects.filter(sent_at__gt=since)
    to_destination = list(recent.filter(destination=destination).values_list("sent_at", flat=True))
    retry = retry_moment(to_destination, CODES_PER_DESTINATION)
    if retry is not None:
        raise CodeLimitError(
            f"Đã gửi {len(to_destination)} mã xác nhận tới {destination} trong một giờ qua. "
            f"Vui lòng thử lại sau {local_moment(retry)}. {help_from(desk)}",
            retry,
        )
    if dossier is not None:
        for_dossier = list(recent.filter(dossier=dossier).values_list("sent_at", flat=True))
        retry = retry_moment(for_dossier, CODES_PER_DOSSIER)
        if retry is not None:
            raise CodeLimitError(
                f"Đã gửi {len(for_dossier)} mã xác nhận cho hồ sơ này trong một giờ qua. "
                f"Vui lòng thử lại sau {local_moment(retry)}. {help_from(desk)}",
                retry,
            )


# --- the submission --------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    dossier: Dossier
    code: str


def start_submission(
    desk: Desk,
    procedure_code: str,
    applicant: actions.ApplicantData,
    files: dict[str, holding.HeldFile],
) -> Started:
    """Create the draft with its files and a one-time code (nothing is sent yet)."""
    checked = actions.check_applicant(applicant)
    destination = destination_of(checked)
    if not destination:
        raise DossierError(
            "Cần thư điện tử hoặc số điện thoại để nhận mã xác nhận.", "contact_required"
        )
    check_code_allowed(destination, None, desk)
    data = actions.IntakeData(
        procedure_code=procedure_code,
        channel=Channel.ONLINE,
        applicant=applicant,
        components=list(files),
    )
    code = new_code()
    with transaction.atomic():
        dossier = actions.create_draft(None, desk, data)
        for component, held in files.items():
            store_component(dossier, component, ContentFile(held.read(), name=held.name))
        OneTimeCode.objects.create(
            dossier=dossier,
            destination=destination,
            code_hash=code_hash(code),
            expires_at=timezone.now() + CODE_LIFETIME,
        )
    return Started(dossier, code)


def code_message(dossier: Dossier, code: str) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS text) of the code: each carries the tracking link, so a
    closed tab does not lose the dossier before the desk receives it."""
    link = tracking_url(dossier)
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    subject = "Mã xác nhận nộp hồ sơ trực tuyến"
    body = (
        f"Mã xác nhận của ông/bà là {code} (hiệu lực {minutes} phút). "
        "Không đưa mã này cho người khác.\n\n"
        f"Hồ sơ: {dossier.procedure_version.name}\n\n"
        "Nếu đã đóng trang nộp hồ sơ, mở đường dẫn sau để nhập mã và theo dõi hồ sơ:\n"
        f"{link}\n"
    )
    sms = f"Mã xác nhận nộp hồ sơ: {code} ({minutes} phút). Theo dõi hồ sơ: {link}"
    return subject, body, sms


def send_code(dossier: Dossier, code: str) -> None:
    """Send the code (e-mail if given, else SMS) and count the send; OSError when the mail
    server or the SMS gateway refused, and then nothing is counted."""
    subject, body, sms = code_message(dossier, code)
    otp = OneTimeCode.objects.get(dossier=dossier)
    if dossier.applicant_email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [dossier.applicant_email])
    else:
        # each send is a new message (a new code asked for): a reference of its own
        sms_backend().send(dossier.applicant_phone, sms, reference=uuid.uuid4().hex)
    CodeSend.objects.create(dossier=dossier, destination=otp.destination, sent_at=timezone.now())


def resend_code(dossier: Dossier, desk: Desk) -> None:
    """A fresh code for a draft whose code expired, was lost or was mistyped too often."""
    with transaction.atomic():
        otp = OneTimeCode.objects.select_for_update().get(dossier=dossier)
        if otp.confirmed_at:
            raise DossierError("Hồ sơ này đã được xác nhận và nộp rồi.", "code_already_used")
        check_code_allowed(otp.destination, dossier, desk)
        code = new_code()
        otp.code_hash = code_hash(code)
        otp.expires_at = timezone.now() + CODE_LIFETIME
        otp.attempts = 0
        otp.save(update_fields=["code_hash", "expires_at", "attempts"])
    send_code(dossier, code)


def confirm(dossier: Dossier, code: str) -> Dossier:
    """Check the code; on success submit the dossier to the reception queue."""
    with transaction.atomic():
        otp = OneTimeCode.objects.select_for_update().get(dossier=dossier)
        if otp.confirmed_at:
            raise DossierError("Hồ sơ này đã được xác nhận và nộp rồi.", "code_already_used")
        if otp.attempts >= MAX_ATTEMPTS:
            raise DossierError(
                f"Đã nhập sai quá {MAX_ATTEMPTS} lần; bấm “Gửi lại mã” để nhận mã mới.",
                "code_attempts_exceeded",
            )
        if timezone.now() > otp.expires_at:
            raise DossierError(
                "Mã xác nhận đã hết hạn (15 phút); bấm “Gửi lại mã” để nhận mã mới.",
                "code_expired",
            )
        otp.attempts += 1
        matches = hmac.compare_digest(otp.code_hash, code_hash(code.strip()))
        if matches:
            otp.confirmed_at = timezone.now()
        otp.save(update_fields=["attempts", "confirmed_at"])
        if matches:  # confirmation and submission are one change
            return actions.perform(dossier.pk, None, Action.SUBMIT_ONLINE)
    # raised after the commit, so the failed attempt stays counted
    left = MAX_ATTEMPTS - otp.attempts
    raise DossierError(f"Mã xác nhận không đúng (còn {left} lần thử).", "code_wrong")
