"""The project's URLs plus the baselines of the load benchmarks: a bare Django view that inserts
one row, and a bare view that lists 50 rows, under the same server and middleware."""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from motcua.urls import urlpatterns as project

TABLE = "bench_row"


def create_table() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} "
                "(id bigserial PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL)"
            )
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} "
                "(id integer PRIMARY KEY AUTOINCREMENT, body text NOT NULL, at text NOT NULL)"
            )


@csrf_exempt
def bare_insert(request):
    """Parse the JSON body, insert it as one row, answer 201: the floor of any intake."""
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (body, at) VALUES (%s, %s)",
            [json.dumps(body, ensure_ascii=False), timezone.now().isoformat()],
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/bare-insert/", bare_insert), *project]
