"""The static files' storage in production: whitenoise's compressed, hashed copies (made by
``collectstatic``, which ``motcua serve`` runs before it starts), and, should a file be missing
from the manifest, its plain name instead of a 500 on every page."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False
