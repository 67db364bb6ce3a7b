"""Django's four password rules, saying why in Vietnamese (Django's Vietnamese catalogue does
not have these messages)."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.",
                code="password_too_short",
            )

    def get_help_text(self):
        return f"Ít nhất {self.min_length} ký tự."


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Mật khẩu quá giống tên đăng nhập, họ tên hoặc thư điện tử.",
                code="password_too_similar",
            ) from None

    def get_help_text(self):
        return "Không quá giống tên đăng nhập, họ tên hoặc thư điện tử."


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Mật khẩu này quá phổ biến, dễ bị đoán.", code="password_too_common"
            ) from None

    def get_help_text(self):
        return "Không phải một mật khẩu phổ biến."


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError(
                "Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric"
            )

    def get_help_text(self):
        return "Không chỉ gồm chữ số."
