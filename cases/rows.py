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
    preparers = [_Preparer(field) for field in fields]
    values = [tuple(p.prepare(row[p.field.name]) for p in preparers) for row in rows]
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


class _Preparer:
    """A field's `get_db_prep_save`, remembered per value: the rows of a bulk write repeat most
    of their values (content types, the time of the write, a user), and preparing a foreign
    key or a date-time goes through several layers of Django each time."""

    def __init__(self, field):
        self.field = field
        self._known: dict = {}

    def prepare(self, value):
        try:
            return self._known[value]
        except KeyError:
            prepared = self._known[value] = self.field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # not hashable (a JSON value)
            return self.field.get_db_prep_save(value, connection)


def update_each(model, field_name: str, values: dict) -> None:
    """`model.objects.filter(pk=pk).update(**{field_name: value})` for each pk → value, as one
    `UPDATE … SET field = CASE pk WHEN … END` per thousand rows instead of a statement each."""
    if not values:
        return
    field = model._meta.get_field(field_name)
    quote = connection.ops.quote_name
    table, key, column = (
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
        quote(field.column),
    )
    # PostgreSQL types a CASE of literals as text: cast to the column's type.
    cast = f"::{field.db_type(connection)}" if connection.vendor == "postgresql" else ""
    items = list(values.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 1000):
            chunk = items[start : start + 1000]
            whens = " ".join([f"WHEN %s THEN %s{cast}"] * len(chunk))
            marks = ", ".join(["%s"] * len(chunk))
            params = [
                p for pk, value in chunk for p in (pk, field.get_db_prep_save(value, connection))
            ]
            cursor.execute(
                f"UPDATE {table} SET {column} = CASE {key} {whens} END WHERE {key} IN ({marks})",
                params + [pk for pk, _ in chunk],
            )
