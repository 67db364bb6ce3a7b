"""The FAKE national portal on loopback, and the connector's settings pointing at it."""

from __future__ import annotations

import json
import urllib.request

import pytest

from motcua.dvcqg.client import forget_sessions
from motcua.dvcqg.fake import FakePortal

USERNAME, PASSWORD, DSTCODE = "motcua-xa", "mat-khau-thu", "G22.FAKE"


class Fake:
    """The running fake and its control calls."""

    def __init__(self, server: FakePortal):
        self.server = server
        self.url = server.url

    @property
    def state(self):
        return self.server.state

    def control(self, name: str, **body) -> None:
        request = urllib.request.Request(
            f"{self.url}/_fake/{name}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=5).read()

    def snapshot(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/_fake/state", timeout=5) as answer:
            return json.load(answer)


@pytest.fixture
def fake_portal(settings):
    forget_sessions()  # a freed port may come back: no token of an earlier FAKE
    server = FakePortal(0, username=USERNAME, password=PASSWORD, dstcode=DSTCODE).start()
    settings.MOTCUA_DVCQG_URL = server.url
    settings.MOTCUA_DVCQG_USERNAME = USERNAME
    settings.MOTCUA_DVCQG_PASSWORD = PASSWORD
    settings.MOTCUA_DVCQG_DSTCODE = DSTCODE
    settings.MOTCUA_DVCQG_TIMEOUT = 5
    try:
        yield Fake(server)
    finally:
        server.stop()
