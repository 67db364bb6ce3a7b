"""API tokens that expire (``MOTCUA_API_TOKEN_HOURS``, 24 by default) and can be revoked: by
their holder (``DELETE /api/v1/auth/token/``, the account page), by a password change, or by
an administrator (the admin's token list). docs/security.md §6."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from motcua.accounts.models import StaffRole, User

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


@cache
def holder_sql(vendor: str, also: str = "") -> str:
    """One statement for a request's token: its holder, when it was made, the holder's roles
    (DRF's look-up and the roles' were two statements and a third of the API's own CPU), and
    ``also``, a caller's one-value sub-query read with them (as ``token_also``)."""
    quote = connection.ops.quote_name
    roles = "string_agg(r.role, ',')" if vendor == "postgresql" else "group_concat(r.role, ',')"
    return (
        "SELECT u.*, t.created AS token_created, "
        f"(SELECT {roles} FROM {quote(StaffRole._meta.db_table)} r WHERE r.user_id = u.id) "
        f"AS token_roles{f', ({also}) AS token_also' if also else ''} "
        f"FROM {quote(Token._meta.db_table)} t "
        f"JOIN {quote(User._meta.db_table)} u ON u.id = t.user_id WHERE t.key = %s"
    )


def token_holder(key: str, also: str = "") -> tuple[User, Token] | None:
    """The user holding the token ``key`` (their roles read with them) and the token; with
    ``also`` (see :func:`holder_sql`) its value is the user's ``token_also``."""
    found = list(User.objects.raw(holder_sql(connection.vendor, also), [key]))
    if not found:
        return None
    user = found[0]
    created = user.token_created
    column = Token._meta.get_field("created").cached_col
    for convert in connection.ops.get_db_converters(column):  # SQLite gives it as text
        created = convert(created, column, connection)
    user.keep_roles(user.token_roles.split(",") if user.token_roles else ())
    token = Token.from_db(connection.alias, ["key", "user_id", "created"], [key, user.pk, created])
    token.user = user
    return user, token


class ExpiringTokenAuthentication(TokenAuthentication):
    also = ""  # a sub-query read with the token (motcua.units.tokens.TokenAuthentication)

    def holder(self, user: User) -> None:
        """Called with the token's holder as read, before any check."""

    def authenticate_credentials(self, key):
        found = token_holder(key, self.also)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        self.holder(user)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if is_expired(token):
            token.delete()
            raise TokenExpired()
        return user, token
