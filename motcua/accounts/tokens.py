"""API tokens that expire (``MOTCUA_API_TOKEN_HOURS``, 24 by default) and can be revoked: by
their holder (``DELETE /api/v1/auth/token/``, the account page), by a password change, or by
an administrator (the admin's token list). docs/security.md §6."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

EXPIRED = "Mã truy cập API đã hết hạn; hãy lấy mã mới (POST /api/v1/auth/token/)."


def expires_at(token: Token) -> datetime:
    return token.created + timedelta(hours=settings.MOTCUA_API_TOKEN_HOURS)


def is_expired(token: Token, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


def issue(user) -> Token:
    """The user's token, a new one when the old has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = EXPIRED
    default_code = "token_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            token.delete()
            raise TokenExpired()
        return user, token
