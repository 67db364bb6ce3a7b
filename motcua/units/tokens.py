"""The API's authentication: the expiring tokens of ``motcua.accounts.tokens``, with the
configuration's generation (``motcua.units.cache``) read in the token's own statement, so an
API request reads its token, its holder, the holder's roles and whether the cached
configuration is still current in one statement."""

from __future__ import annotations

from motcua.accounts.tokens import ExpiringTokenAuthentication
from motcua.units import cache


class TokenAuthentication(ExpiringTokenAuthentication):
    also = cache.generation_sql()

    def holder(self, user) -> None:
        cache.saw(user.token_also)
