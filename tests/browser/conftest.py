"""Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=vi-VN",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs it).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def locale() -> str:
    """The browser's language; a module runs its tests in others too by overriding this
    fixture with params (their screenshots then end in -<locale>)."""
    return "vi-VN"


@pytest.fixture
def page(browser, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, locale):
    ARTIFACTS.mkdir(exist_ok=True)
    suffix = "" if locale == "vi-VN" else f"-{locale}"

    def take(name: str, other=None) -> Path:
        """``other``: a second page of the test (another person's browser), else ``page``."""
        path = ARTIFACTS / f"{name}{suffix}.png"
        (other or page).screenshot(path=str(path), full_page=True)
        return path

    return take


def rendered_fonts(page, selector: str) -> dict[str, int]:
    """Fonts Chromium really used to draw the text of ``selector`` (family → glyph count)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    # Chromium reports the fonts of an element's own text nodes only: walk the element and
    # everything inside it, so an element whose text sits in children still counts.
    nodes = cdp.send(
        "DOM.querySelectorAll", {"nodeId": root, "selector": f"{selector}, {selector} *"}
    )["nodeIds"]
    used: dict[str, int] = {}
    for node in nodes:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
    return used


def pdf_text(page, url: str, name: str) -> str:
    """The text of the PDF at ``url`` (fetched with the page's session), kept as
    test-artifacts/<name>.pdf; spaces and line breaks collapsed (a title may wrap)."""
    response = page.request.get(url)
    assert response.headers["content-type"] == "application/pdf"
    path = ARTIFACTS / f"{name}.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    path.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())
