"""The static files' storage in production: whitenoise's compressed, hashed copies (made by
``collectstatic``, which ``motcua serve`` runs before it starts), and, should a file not have
been collected, its plain name instead of a 500 on every page (the page then shows without
that file until ``collectstatic`` runs)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not collected: no file to hash
            return name
