"""Online submission by the citizen (nộp hồ sơ trực tuyến), confirmed by a one-time code.

Where no national portal connection exists (demo, kiosks, tests) this page plays the portal's
role: the dossier lands in the desk's reception queue (chờ tiếp nhận) until an official
receives it, which fixes its code, receipt time and appointment.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from motcua.core.errors import DossierError
from motcua.core.lifecycle import Action
from motcua.documents.files import store_component
from motcua.dossiers.models import Channel, Dossier
from motcua.notifications.sms import sms_backend
from motcua.portal.models import OneTimeCode
from motcua.units.models import Desk
from motcua.workflow import actions

CODE_LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5


def code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def start_submission(
    desk: Desk, procedure_code: str, applicant: actions.ApplicantData, files: dict
) -> tuple[Dossier, str]:
    """Create the draft with its files and a one-time code; return (dossier, code to send)."""
    if not (applicant.email or applicant.phone):
        raise DossierError(
            "Cần thư điện tử hoặc số điện thoại để nhận mã xác nhận.", "contact_required"
        )
    data = actions.IntakeData(
        procedure_code=procedure_code,
        channel=Channel.ONLINE,
        applicant=applicant,
        components=list(files),
    )
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        dossier = actions.create_draft(None, desk, data)
        for component, upload in files.items():
            store_component(dossier, component, upload)
        OneTimeCode.objects.create(
            dossier=dossier,
            destination=dossier.applicant_email or dossier.applicant_phone,
            code_hash=code_hash(code),
            expires_at=timezone.now() + CODE_LIFETIME,
        )
    return dossier, code


def send_code(dossier: Dossier, code: str) -> None:
    text = (
        f"Mã xác nhận nộp hồ sơ trực tuyến của ông/bà là {code} "
        f"(hiệu lực 15 phút). Không đưa mã này cho người khác."
    )
    if dossier.applicant_email:
        send_mail(
            "Mã xác nhận nộp hồ sơ", text, settings.DEFAULT_FROM_EMAIL, [dossier.applicant_email]
        )
    else:
        sms_backend().send(dossier.applicant_phone, text)


def confirm(dossier: Dossier, code: str) -> Dossier:
    """Check the code; on success submit the dossier to the reception queue."""
    with transaction.atomic():
        otp = OneTimeCode.objects.select_for_update().get(dossier=dossier)
        if otp.confirmed_at:
            raise DossierError("Hồ sơ này đã được xác nhận và nộp rồi.", "code_already_used")
        if otp.attempts >= MAX_ATTEMPTS:
            raise DossierError(
                "Đã nhập sai quá 5 lần; hãy nộp lại hồ sơ.", "code_attempts_exceeded"
            )
        if timezone.now() > otp.expires_at:
            raise DossierError(
                "Mã xác nhận đã hết hạn (15 phút); hãy nộp lại hồ sơ.", "code_expired"
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
