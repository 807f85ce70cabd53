"""Many rows at once, without a model object per row or Django's SQL compiler.

Bulk writes of bookkeeping rows (a page's reference index and log entries, the embedded search
index's postings) spent most of their time in `bulk_create`: it builds a model object for each
row and its compiler prepares each field of each row through several layers. These functions
take plain values. They return no primary keys: use `bulk_create` where the caller needs them.
"""

from django.db import connection
from django.db.models.constants import OnConflict


def insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows of values as the database stores them: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def insert_values(model, rows: list[dict], *, ignore_conflicts: bool = False) -> None:
    """Rows of `model` given as {field name: value} (a foreign key by its id, under the field's
    name), each value prepared by its field as `bulk_create` would. With `ignore_conflicts` a row
    that breaks a unique constraint is skipped."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    values = [
        tuple(field.get_db_prep_save(row[field.name], connection) for field in fields)
        for row in rows
    ]
    table = model._meta.db_table
    if not ignore_conflicts:
        insert(table, tuple(f.column for f in fields), values)
        return
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    statement = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    suffix = connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    # Several rows per statement: PostgreSQL would run each row of an executemany as a
    # statement of its own (a server round of its own, even pipelined).
    size = max(1, min(1000, 30000 // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            sql = f"{statement} {table} ({names}) VALUES {', '.join([marks] * len(chunk))}"
            cursor.execute(f"{sql} {suffix}".rstrip(), [v for row in chunk for v in row])
