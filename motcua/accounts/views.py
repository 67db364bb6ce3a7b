"""The official's own account: the second factor (enrol, give a code, new recovery codes), the
password, the API tokens (docs/security.md §6)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from motcua.accounts import mfa, tokens
from motcua.core.errors import DomainError


def next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def mfa_verify(request):
    """Mã xác thực hai lớp: the app's six digits, or a recovery code."""
    user = request.user
    if user.is_verified() or not mfa.enrolled(user):
        return redirect(next_url(request))
    error = ""
    if request.method == "POST":
        device = mfa.verify(user, request.POST.get("code", ""))
        if device is not None:
            otp_login(request, device)
            if device.name == mfa.RECOVERY_NAME:
                left = mfa.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    f"Bạn vừa dùng một mã dự phòng; còn {left} mã. "
                    "Hãy tạo mã dự phòng mới ở trang Tài khoản nếu sắp hết.",
                )
            return redirect(next_url(request))
        error = "Mã không đúng hoặc đã dùng. Nhập mã đang hiện trên ứng dụng xác thực."
    return render(
        request,
        "accounts/mfa_verify.html",
        {"error": error, "next": next_url(request)},
        status=400 if error else 200,
    )


@login_required
def mfa_setup(request):
    """Thiết lập ứng dụng xác thực: scan the QR code, type the code shown, keep the recovery
    codes."""
    user = request.user
    if mfa.enrolled(user) and not user.is_verified():
        return redirect(f"{reverse('accounts:mfa_verify')}?next={reverse('accounts:mfa_setup')}")
    error = ""
    if request.method == "POST":
        try:
            codes = mfa.confirm(user, request.POST.get("code", ""))
        except DomainError as exc:
            error = exc.message
        else:
            otp_login(request, mfa.verify_device(user))
            return render(
                request,
                "accounts/mfa_codes.html",
                {"codes": codes, "next": next_url(request), "first": True},
            )
    device = mfa.pending(user) or mfa.start(user)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, omitsize=True)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "qr_svg": qr,
            "secret": mfa.secret_text(device),
            "error": error,
            "required": mfa.required_for(user),
            "next": next_url(request),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def mfa_new_codes(request):
    if not request.user.is_verified():
        return redirect("accounts:mfa_verify")
    codes = mfa.new_recovery_codes(request.user)
    return render(request, "accounts/mfa_codes.html", {"codes": codes, "first": False})


@login_required
def account(request):
    """Tài khoản: the second factor, the password, the API token."""
    user = request.user
    token = Token.objects.filter(user=user).first()
    return render(
        request,
        "accounts/account.html",
        {
            "enrolled": mfa.enrolled(user),
            "required": mfa.required_for(user),
            "recovery_left": mfa.remaining_recovery_codes(user),
            "token": token,
            "token_expires": tokens.expires_at(token) if token else None,
            "idle_minutes": settings.MOTCUA_SESSION_IDLE_MINUTES,
        },
    )


@login_required
@require_POST
def revoke_token(request):
    deleted, _ = Token.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(
            request, "Đã thu hồi mã truy cập API: các chương trình dùng mã này phải lấy mã mới."
        )
    return redirect("accounts:account")


class PasswordChange(auth_views.PasswordChangeView):
    """Đổi mật khẩu: the old one, the new one twice; the API token is revoked and the other
    sessions end (Django changes the session hash)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        answer = super().form_valid(form)
        Token.objects.filter(user=form.user).delete()
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Đã đổi mật khẩu. Mã truy cập API cũ đã bị thu hồi.")
        return answer
