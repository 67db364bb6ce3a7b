"""New rows of a model inserted with an INSERT written once per model (the write-heavy paths).

``Model.save()`` and ``bulk_create()`` compile their INSERT anew on every call, asking every
field for its column, its placeholder and its value through several layers; for the intake's
rows (a dossier of ~70 columns, its event, its messages, its outbox rows) that was a quarter of
an intake's CPU, and in a bulk import three quarters of the time. :func:`insert_rows` writes
the statement once per model and database, then converts each value with the field's own
``get_db_prep_save`` — the conversion ``save()`` uses — except for the plain types the database
driver takes as they are, so what is stored is what ``save()`` stores
(``tests/test_rows.py`` compares every column, on SQLite and on PostgreSQL).

What it does not do, by design: send ``pre_save``/``post_save`` signals (as ``bulk_create``),
run a model's own ``save()`` (none of the models it is used for has one), or take expressions
or database defaults as values. The caller holds the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, models

# Fields whose Python value the database driver takes as it is (no conversion by Django).
PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
)


class Statement:
    """The INSERT of one model on one database, and how to fill it."""

    def __init__(self, model: type[models.Model], quote) -> None:
        meta = model._meta
        self.auto = meta.auto_field  # an id the database gives, read back with RETURNING
        self.fields = [f for f in meta.concrete_fields if f is not self.auto]
        for f in self.fields:
            if f.has_db_default() or getattr(f, "generated", False):
                raise ValueError(f"insert_rows: {model.__name__}.{f.name} has a database value")
        self.stamped = [
            f
            for f in self.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.attnames = [f.attname for f in self.fields]
        self.plain = [isinstance(f, PLAIN_FIELDS) and not f.is_relation for f in self.fields]
        self.table = quote(meta.db_table)
        self.head = f"INSERT INTO {self.table} ({', '.join(quote(f.column) for f in self.fields)}) "
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.returning = f" RETURNING {quote(self.auto.column)}" if self.auto else ""

    def values(self, obj: models.Model, db) -> list:
        for f in self.stamped:
            f.pre_save(obj, True)
        out = []
        for f, name, is_plain in zip(self.fields, self.attnames, self.plain, strict=True):
            value = getattr(obj, name)
            out.append(value if is_plain else f.get_db_prep_save(value, db))
        return out


@cache
def statement(model: type[models.Model], alias: str) -> Statement:
    return Statement(model, connections[alias].ops.quote_name)


def insert_rows(
    model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 2000
) -> None:
    """INSERT the new rows ``objs`` of ``model``. A few rows (an intake's) go in one
    multi-row INSERT — one round trip; for a model whose id the database gives, with RETURNING,
    which sets each ``pk``; many rows (an import's) by one ``executemany`` a batch."""
    if not objs:
        return
    # the connection itself, not the thread-local proxy: every value's conversion asks it for
    # its operations, and the proxy's look-up was a tenth of an import's time
    db = connections[DEFAULT_DB_ALIAS]
    plan = statement(model, db.alias)
    per_statement = max(1, 999 // len(plan.fields))  # SQLite's oldest limit of parameters
    with db.cursor() as cursor:
        if plan.auto is None and len(objs) > per_statement:
            sql = plan.head + "VALUES " + plan.row
            for start in range(0, len(objs), batch_size):
                batch = objs[start : start + batch_size]
                cursor.executemany(sql, [plan.values(obj, db) for obj in batch])
        else:
            for start in range(0, len(objs), per_statement):
                batch = objs[start : start + per_statement]
                params = [value for obj in batch for value in plan.values(obj, db)]
                rows = ", ".join([plan.row] * len(batch))
                cursor.execute(plan.head + "VALUES " + rows + plan.returning, params)
                if plan.auto is not None:
                    for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                        setattr(obj, plan.auto.attname, pk)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db.alias
