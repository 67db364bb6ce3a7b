"""The log-in forms of the page and the admin: a locked log-in says until when."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from motcua.accounts import throttle


class LockoutMessageMixin:
    def get_invalid_login_error(self) -> forms.ValidationError:
        message = throttle.lockout_message(self.request, self.cleaned_data.get("username", ""))
        if message:
            return forms.ValidationError(message)
        return super().get_invalid_login_error()


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    """Đăng nhập cán bộ."""


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    """Đăng nhập trang quản trị."""
