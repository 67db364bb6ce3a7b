"""The FAKE national portal for the sync and mapping pages' tests (tests/dvcqg/conftest.py)."""

from tests.dvcqg.conftest import DSTCODE, PASSWORD, USERNAME, fake_portal  # noqa: F401
