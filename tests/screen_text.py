"""What gives a page away as written for developers, and the text a person reads on it: shared
by the scans of the public pages (tests/portal/test_public_text.py) and of the staff pages
(tests/workflow/test_staff_text.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# What gives a page away as written for developers (each with why it is there).
JARGON = {
    "Python None": re.compile(r"\bNone\b"),
    "a note to do": re.compile(r"\b(TODO|FIXME|XXX)\b"),
    "JSON words": re.compile(r"\b(null|true|false|undefined|NaN)\b"),
    "snake_case identifier": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "a path to the code": re.compile(r"docs/|\.md\b|\.py\b|\bsrc/|github", re.IGNORECASE),
    "the portal's acronym with a colon": re.compile(r"DVCQG\s*:"),
    "the portal's acronym": re.compile(r"\bDVCQG\b"),
    "English article abbreviation": re.compile(r"\barts?\.\s*\d"),
    "English words": re.compile(
        r"\b(verify|registry|researcher|confidence|source|draft|sealed|signed|pending|error)\b",
        re.IGNORECASE,
    ),
    "the developers": re.compile(r"nhóm phát triển", re.IGNORECASE),
    # Vietnamese typed without its diacritics (the words below always carry them)
    "ASCII-only Vietnamese": re.compile(
        r"\b(ho so|thu tuc|tra cuu|dang ky|giay to|ket qua|le phi|xac nhan|chung thuc|dat dai|"
        r"thong tin|dien thoai|dinh danh|nguoi nop|truc tuyen|bo phan|mot cua|uy ban|nhan dan|"
        r"ngay lam viec|thoi han)\b",
        re.IGNORECASE,
    ),
}
SEEN_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}


class CitizenText(HTMLParser):
    """The text a person sees: text nodes (not scripts, styles or drawn SVG) and the
    attributes a browser shows."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.hidden += 1
        for name, value in attrs:
            if name in SEEN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def citizen_text(html: str, secrets: list[str]) -> str:
    parser = CitizenText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    text = re.sub(r"https?://\S+", " ", text)  # links are printed for copying, not reading
    for secret in secrets:  # tokens are random letters, digits, "-" and "_"
        text = text.replace(secret, " ")
    return text


def findings(
    url: str, html: str, secrets: list[str], patterns: dict[str, re.Pattern] | None = None
) -> list[str]:
    """Each match of ``patterns`` (JARGON by default) in what a person reads of ``html``,
    ``secrets`` (tokens, or words shown on purpose) left out."""
    text = citizen_text(html, secrets)
    found = []
    for why, pattern in (JARGON if patterns is None else patterns).items():
        for m in pattern.finditer(text):
            around = text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
            found.append(f"{url}: {why}: …{around}…")
    return found
