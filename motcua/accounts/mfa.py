"""The officials' second factor (xác thực đa yếu tố): a TOTP app (RFC 6238) and ten recovery
codes, on django-otp's devices (docs/security.md §6).

Who must use it (``MOTCUA_REQUIRE_MFA``): ``leaders`` (the default) — administrators, heads and
deputies of the desk, and the leaders who sign; ``all`` — every official (an Internet-facing
deployment, TCVN 14423:2026); ``none`` — nobody is forced (the demo), though anyone may enrol.
An official who must and has no device yet is sent to enrol before anything else.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Role, User
from motcua.core.errors import AccessError

WAIT = "Nhập sai nhiều lần liền: đợi vài giây rồi nhập mã đang hiện."
RECOVERY_CODES = 10
APP_NAME = "totp"
RECOVERY_NAME = "recovery"
LEADING_ROLES = {Role.ADMIN, Role.HEAD, Role.DEPUTY, Role.LEADER}


def required_for(user: User) -> bool:
    policy = settings.MOTCUA_REQUIRE_MFA
    if policy == "all":
        return True
    if policy == "leaders":
        return user.is_superuser or user.is_staff or user.has_role(*LEADING_ROLES)
    return False


def enrolled(user: User) -> bool:
    """Whether the user has a confirmed device (read once per request's user object)."""
    cached = getattr(user, "_motcua_enrolled", None)
    if cached is None:
        cached = user._motcua_enrolled = user_has_device(user, confirmed=True)
    return cached


def start(user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device (replacing one left unconfirmed)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def pending(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def confirm(user: User, code: str) -> list[str]:
    """Confirm the pending device with a code it shows; the recovery codes (shown once)."""
    device = pending(user)
    if device is None:
        raise AccessError("Chưa bắt đầu thiết lập ứng dụng xác thực.", "mfa_not_started")
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise AccessError(WAIT, "mfa_wrong_code")
    if not device.verify_token(clean_code(code)):
        raise AccessError(
            "Mã xác thực không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã đang hiện.",
            "mfa_wrong_code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        user._motcua_enrolled = True
        return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes (the old ones stop working), each usable once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
        codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def verify(user: User, code: str):
    """The device that accepts ``code`` (the app's, or a recovery code, used up), or None."""
    code = clean_code(code)
    if not code:
        return None
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def secret_text(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed by hand: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
