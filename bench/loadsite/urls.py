"""The project's URLs plus the baselines of the load benchmarks: a bare Django view that inserts
one row, and a bare view that lists 50 rows, under the same server and middleware."""

import json

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template import Context, Template
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from motcua.dossiers.models import Dossier
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


LIST_PAGE = Template(
    "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Danh sách</title></head>"
    "<body><table>{% for r in rows %}<tr><td><a href='/ho-so/{{ r.0 }}/'>{{ r.1 }}</a></td>"
    "<td>{{ r.2 }}</td><td>{{ r.3 }}</td><td>{{ r.4 }}</td><td>{{ r.5 }}</td></tr>{% endfor %}"
    "</table></body></html>"
)


def bare_list(request):
    """50 dossiers of the caller's unit as a plain HTML table: the floor of any list page (the
    same middleware, a session, one indexed query, a template loop)."""
    unit = request.user.unit_id if request.user.is_authenticated else None
    rows = list(
        Dossier.objects.filter(unit_id=unit, state__in=["received", "in_review", "done"])
        .order_by("due_at")
        .values_list("id", "code", "applicant_name", "state", "due_at", "channel")[:50]
    )
    return HttpResponse(LIST_PAGE.render(Context({"rows": rows})))


urlpatterns = [
    path("bench/bare-insert/", bare_insert),
    path("bench/bare-list/", bare_list),
    *project,
]
