import pytest

from motcua.dossiers.models import Dossier
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BODY = {
    "procedure": "2.001035",
    "channel": "online_assisted",
    "applicant_name": "Lò Văn Chiến",
    "applicant_id_number": "019090001111",
    "applicant_phone": "0911222333",
    "components": ["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
}


def token_for(client, username):
    return client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}).json()[
        "token"
    ]


@pytest.fixture
def api(client, staff):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token_for(client, 'chuyenvien')}"
    return client


def test_intake_detail_actions_events(api, staff):
    created = api.post("/api/v1/dossiers/", BODY, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    code = data["code"]
    assert data["state"] == "received" and data["channel"] == "online_assisted"
    assert data["applicant_id_number"] == "********1111"  # masked
    assert data["timeliness"] is None and data["resolved_at"] is None
    for action in ("start_review", "submit_for_approval"):
        assert (
            api.post(
                f"/api/v1/dossiers/{code}/actions/{action}/", {}, content_type="application/json"
            ).status_code
            == 200
        )
    refused = api.post(
        f"/api/v1/dossiers/{code}/actions/approve/", {}, content_type="application/json"
    )
    assert refused.status_code == 403 and "Vai trò" in refused.json()["detail"]
    events = api.get(f"/api/v1/dossiers/{code}/events/").json()
    assert [e["action"] for e in events] == [
        "receive",
        "start_review",
        "submit_for_approval",
    ]
    detail = api.get(f"/api/v1/dossiers/{code}/").json()
    assert detail["state"] == "awaiting_approval" and detail["due_at"]


def test_illegal_transition_is_409(api, staff):
    code = api.post("/api/v1/dossiers/", BODY, content_type="application/json").json()["code"]
    response = api.post(
        f"/api/v1/dossiers/{code}/actions/return_result/", {}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "Không thể" in response.json()["detail"]


def test_incomplete_intake_changes_nothing(api, staff):
    response = api.post(
        "/api/v1/dossiers/",
        {**BODY, "components": ["Dự thảo hợp đồng"]},
        content_type="application/json",
    )
    assert response.status_code == 409 and "còn thiếu" in response.json()["detail"]
    assert Dossier.objects.count() == 0


def test_filters_and_scoping(api, client, staff):
    code = api.post("/api/v1/dossiers/", BODY, content_type="application/json").json()["code"]

    def codes(**params):
        return [d["code"] for d in api.get("/api/v1/dossiers/", params).json()["results"]]

    assert codes(state="received") == [code]
    assert codes(channel="direct") == []
    assert codes(overdue="1") == []
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token_for(client, 'xakhac')}"
    assert client.get("/api/v1/dossiers/").json() == {"next": None, "results": []}
    assert client.get(f"/api/v1/dossiers/{code}/").status_code == 404


def test_the_list_pages_by_cursor_newest_first_without_a_count(api, staff):
    made = [
        api.post("/api/v1/dossiers/", BODY, content_type="application/json").json()["code"]
        for _ in range(5)
    ]
    seen, url = [], "/api/v1/dossiers/?page_size=2"
    while url:
        page = api.get(url).json()
        assert "count" not in page and len(page["results"]) <= 2
        seen += [d["code"] for d in page["results"]]
        url = page["next"]
    assert seen == made[::-1]  # each once, the newest first
    bad = api.get("/api/v1/dossiers/", {"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and "cursor" in bad.json()["detail"]
    assert api.get("/api/v1/dossiers/", {"page_size": "0"}).status_code == 400


def test_the_fast_dossier_json_is_what_the_schema_declares(api, staff):
    """The API writes dossiers with a plain function (fast); the serializer is the schema's
    definition: both give the same object, for a fresh dossier and an ended one."""
    from motcua.workflow.api import DossierSerializer, dossier_json

    code = api.post("/api/v1/dossiers/", BODY, content_type="application/json").json()["code"]
    for action in ("start_review", "submit_for_approval"):
        api.post(f"/api/v1/dossiers/{code}/actions/{action}/", {}, content_type="application/json")
    fresh = api.post("/api/v1/dossiers/", BODY, content_type="application/json").json()["code"]
    for dossier in Dossier.objects.filter(code__in=[code, fresh]):
        assert dossier_json(dossier) == DossierSerializer(dossier).data
    listed = api.get("/api/v1/dossiers/").json()["results"]
    assert {d["code"] for d in listed} == {code, fresh}
    one = api.get(f"/api/v1/dossiers/{code}/").json()
    assert one == DossierSerializer(Dossier.objects.get(code=code)).data
    assert one["state"] == "awaiting_approval" and one["applicant_id_number"] == "********1111"


def test_intake_form_errors_do_not_carry_over_between_requests(api, staff):
    """The intake's serializer copies its fields shallowly: each request's fields are its own,
    so a refused request leaves nothing on the next, and the declared fields stay unbound."""
    from motcua.workflow.api import IntakeSerializer

    bad = api.post(
        "/api/v1/dossiers/",
        {**BODY, "applicant_email": "không-phải-thư", "components": ["x" * 601], "copies": 0},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"applicant_email", "components", "copies"} <= set(bad.json()["fields"])
    good = api.post("/api/v1/dossiers/", BODY, content_type="application/json")
    assert good.status_code == 201, good.content
    one, two = IntakeSerializer(data=BODY), IntakeSerializer(data=BODY)
    assert one.fields["components"] is not two.fields["components"]
    assert one.fields["components"].parent is one and two.fields["components"].parent is two
    assert all(f.parent is None for f in IntakeSerializer._declared_fields.values())
