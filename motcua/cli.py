"""The `motcua` console script: Django's manage.py with our settings, and `motcua serve`."""

from __future__ import annotations

import os
import sys

from motcua.serve import main as serve


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    if args[:1] == ["serve"]:  # the web server and the worker together (motcua/serve.py)
        sys.exit(serve(args[1:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["motcua", *args])


if __name__ == "__main__":
    main()
