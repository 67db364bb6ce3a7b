"""One error family: every code raised is registered with its kind and documented, and the API
turns each kind into its status with a Vietnamese detail."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from motcua.core import errors
from motcua.core.errors import CODES, DomainError, Kind

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in (ROOT / "motcua").rglob("*.py") if "migrations" not in p.parts]
API_DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def raised_codes() -> dict[str, list[str]]:
    """Codes given to a …Error(message, "code") call or as ``code=`` anywhere in the package."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            # RowError: a row, its column; ValidationError: Django's, for a form field
            if not name.endswith("Error") or name in {"RowError", "ValidationError"}:
                continue
            candidates = list(node.args[1:2]) + [k.value for k in node.keywords if k.arg == "code"]
            for arg in candidates:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, []).append(f"{path.name}:{node.lineno}")
    return found


def test_every_code_raised_is_registered():
    codes = raised_codes()
    assert len(codes) > 40  # the scan sees the raise sites
    unknown = {code: where for code, where in codes.items() if code not in CODES}
    assert unknown == {}


def test_every_subclass_default_is_registered():
    subclasses, todo = set(), [DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            subclasses.add(sub)
            todo.append(sub)
    assert {s.__name__ for s in subclasses} >= {
        "DossierError",
        "DocumentError",
        "AccessError",
        "LifecycleError",
        "IdentityError",
        "PeriodError",
        "FileRefused",
        "SigningError",
    }
    assert {s.default_code for s in subclasses} <= set(CODES)


def test_every_code_is_documented_with_its_status():
    for code, (kind, _meaning) in CODES.items():
        status = errors.HTTP_STATUS[kind]
        assert re.search(rf"^\| `{code}` \| {status} \|", API_DOC, re.M), code


def test_the_kind_decides_the_status():
    assert DomainError("x", "missing_components").status == 409
    assert DomainError("x", "other_unit").status == 403
    assert DomainError("x", "dossier_not_found").status == 404
    assert DomainError("x", "unknown_procedure").status == 400
    assert DomainError("x", "invalid", Kind.CONFLICT).status == 409
    assert DomainError("Sai.").as_json() == {"detail": "Sai.", "code": "invalid"}


@pytest.mark.django_db
def test_api_answers_detail_and_code(client, world):
    client.force_login(world.specialist)
    bad = client.get("/api/v1/reports/figures", {"unit": "05605", "from": "2023-13-01", "to": "x"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_period" and "dd/mm/yyyy" in bad.json()["detail"]
    other = client.get(
        "/api/v1/reports/figures", {"unit": "27700", "from": "2023-01-01", "to": "2023-12-31"}
    )
    assert other.status_code == 403 and other.json()["code"] == "other_unit"
    missing = client.get("/api/v1/dossiers/XA05605-261201-0001/")
    assert missing.status_code == 404 and missing.json()["code"] == "dossier_not_found"
    invalid = client.post("/api/v1/dossiers/", {}, content_type="application/json")
    assert invalid.status_code == 400 and invalid.json()["code"] == "invalid"
    assert "procedure" in invalid.json()["fields"]
