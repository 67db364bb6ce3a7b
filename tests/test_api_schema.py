"""The API against its own OpenAPI schema, under schemathesis (issue 13, item 4).

Every operation of ``/api/schema/`` is called with generated requests — valid ones and, as
schemathesis also generates, invalid ones — through the WSGI application, once as an official
of Bình Thành with a real API token and once anonymously. A response fails the build when it is
a 5xx, has a status the schema does not list, a body or a content type that is not the one
documented, or when a request the schema forbids is accepted. Bounded and repeatable: a fixed
number of examples per operation, derandomised (the same cases on every run).

The path ids are sometimes swapped for real ones (a dossier of each state, its file, a
procedure, the unit), so the generated bodies reach the actions and not only the 404 of an
unknown code. One schemathesis check is left out, "a request valid by the schema is accepted":
the schema cannot say what only the rules know (a procedure code that exists, a move allowed
in the dossier's state, a fee case the procedure charges), and such a request is refused with
a documented 4xx, as it should be.
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import positive_data_acceptance

from motcua.accounts import tokens
from motcua.documents.digitisation import attach_component
from tests.dossier_states import COMPONENTS, dossier_in
from tests.factories import pdf_bytes

# more for a deeper run by hand: MOTCUA_API_EXAMPLES=200 pytest tests/test_api_schema.py
EXAMPLES = int(os.environ.get("MOTCUA_API_EXAMPLES", "30"))
STATES = ("draft", "received", "in_review", "awaiting_approval", "done", "returned")

BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    deadline=None,
)


def load_schema():
    """The schema the application serves at /api/schema/ (drf-spectacular's own generator,
    read at collection, before any database exists), bound to the WSGI application."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from motcua.wsgi import application

    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = application
    return loaded


schema = load_schema()


@schema.hook
def filter_query(context, query):
    """A query parameter the operation does not have is ignored, as DRF (and most HTTP APIs)
    do, not refused: a case whose only fault is an extra name is not a negative case."""
    known = {parameter.name for parameter in context.operation.query}
    return not query or set(query) <= known


@pytest.fixture(autouse=True)
def _keep_the_connection(db):
    """As Django's test client does, a request does not close the test's database connection
    (its transaction holds the scene)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def scene(staff):
    """Bình Thành with a dossier in each of six states, a scanned component, the catalogue."""
    dossiers = [dossier_in(state, staff) for state in STATES]
    received = dossiers[1]
    upload = SimpleUploadedFile("to-khai.pdf", pdf_bytes(), content_type="application/pdf")
    stored = attach_component(received.pk, staff.specialist, COMPONENTS[0], upload)
    return {
        "code": [d.code for d in dossiers if d.code],
        "file_id": [str(stored.id)],
        "name": ["start_review", "request_supplement", "return_result", "receive"],
        "unit": [staff.binh_thanh.code],
        "procedure": ["2.001035"],
    }


def with_real_ids(case, scene: dict) -> None:
    """Two generated path ids in three become a real one (chosen from the generated value, so
    the run stays repeatable); the third stays as generated (and is answered 404)."""
    params = case.path_parameters or {}
    for name, value in params.items():
        choices = scene.get(name)
        if name == "code" and "/procedures/" in case.path:
            choices = scene["procedure"]
        elif name == "code" and "/units/" in case.path:
            choices = scene["unit"]
        if not choices:
            continue
        pick = int(hashlib.sha256(str(value).encode()).hexdigest(), 16)
        if pick % 3:
            params[name] = choices[pick % len(choices)]


@schema.parametrize()
@BOUNDED
def test_official(case, scene, staff):
    with_real_ids(case, scene)
    token = tokens.issue(staff.specialist)  # a new one when an example has revoked it
    case.call_and_validate(
        headers={"Authorization": f"Token {token.key}"},
        excluded_checks=[positive_data_acceptance],
    )


@schema.parametrize()
@BOUNDED
def test_anonymous(case, scene):
    with_real_ids(case, scene)
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
