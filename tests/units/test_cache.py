"""The per-process configuration cache (motcua.units.cache) across processes: a change written
by another process reaches this one's next request through the generation row alone, read
with the API token in the token's own statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.units.models import ConfigGeneration, Desk
from tests.dossiers.test_api import BODY, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, staff):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token_for(client, 'chuyenvien')}"
    return client


def receive(api) -> str:
    response = api.post("/api/v1/dossiers/", BODY, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["code"]


def elsewhere(sql: str, params: list, *, move_generation: bool) -> None:
    """A write by another process: SQL on the tables, no signal of this process."""
    table = ConfigGeneration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if move_generation:
            cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE id = 1")


def test_a_desk_changed_by_another_process_is_seen_at_the_next_api_request(api, staff):
    desk = staff.binh_thanh.desk
    assert receive(api).startswith(desk.electronic_code)  # the desk is now cached here
    change = f"UPDATE {Desk._meta.db_table} SET electronic_code = %s WHERE id = %s"
    # written elsewhere without moving the generation: this process keeps its copy (so the
    # cache is really in use and the next step tests its invalidation, not a fresh read)
    elsewhere(change, ["G.99.01.H99", desk.pk], move_generation=False)
    assert receive(api).startswith(desk.electronic_code)
    # the generation moved with the change: the next request reads the new desk
    elsewhere(change, ["G.99.02.H99", desk.pk], move_generation=True)
    assert receive(api).startswith("G.99.02.H99")


def test_the_api_reads_the_generation_with_its_token(api):
    receive(api)
    with CaptureQueriesContext(connection) as queries:
        receive(api)
    table = ConfigGeneration._meta.db_table
    reads = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert len(reads) == 1 and "token_also" in reads[0], reads
