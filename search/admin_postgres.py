"""Many pages into the admin search index on PostgreSQL: modelsearch's own rows, written faster.

modelsearch's `PostgresIndex.add_items` builds and compiles three Django `SearchVector`
expressions for every object and sends one statement with every object's values in it; in a bulk
import on PostgreSQL that was a fifth of the time. Here each shape of vector (the weights of its
texts, and whether it is the autocomplete one) is compiled once, by modelsearch's and Django's own
expression code, and the objects' texts go as parameters of one statement per shape. The texts
come from modelsearch's own indexer; the SQL is the SQL it would send, so the rows are its rows
(tests/search/test_admin_postgres.py compares them). Used by search.admin_backend for bulk adds
(`add_bulk`); a single save still goes through modelsearch unchanged.
"""

from modelsearch.backends.database.postgres.postgres import EMPTY_VECTOR, IndexEntry, ObjectIndexer


class _Texts(ObjectIndexer):
    """modelsearch's indexer with each vector left as what it is made of: its (text, weight)
    pairs, as `as_vector` keeps them, and whether it is the autocomplete one."""

    def as_vector(self, texts, for_autocomplete=False):
        texts = [(text.strip(), weight) for text, weight in texts]
        return tuple((text, weight) for text, weight in texts if text), for_autocomplete


class _Vectors:
    """The SQL of a vector per shape, compiled once; a text's place in its parameters."""

    def __init__(self, index, backend):
        from django.db.models.sql.subqueries import InsertQuery

        self.connection = index.write_connection
        self.compiler = InsertQuery(IndexEntry).get_compiler(connection=self.connection)
        self.indexer = ObjectIndexer.__new__(ObjectIndexer)  # only for as_vector
        self.indexer.config = backend.config
        self.indexer.autocomplete_config = backend.autocomplete_config
        self._compiled: dict[tuple, tuple[str, list]] = {}

    def sql(self, column: str, vector) -> tuple[str, list]:
        texts, for_autocomplete = vector
        shape = (column, tuple(weight for _, weight in texts), for_autocomplete)
        if shape not in self._compiled:
            # Placeholder texts mark where each real text goes among the parameters.
            marks = [(f"\x00text{n}\x00", weight) for n, (_, weight) in enumerate(texts)]
            expression = self.indexer.as_vector(marks, for_autocomplete) if marks else EMPTY_VECTOR
            value = self.compiler.prepare_value(IndexEntry._meta.get_field(column), expression)
            self._compiled[shape] = value.as_sql(self.compiler, self.connection)
        sql, params = self._compiled[shape]
        by_mark = {f"\x00text{n}\x00": text for n, (text, _) in enumerate(texts)}
        return sql, [by_mark.get(p, p) if isinstance(p, str) else p for p in params]


def add_items(index, model, objects) -> None:
    """What `index.add_items(model, objects)` writes (index: modelsearch's PostgresIndex)."""
    if not model.get_search_fields() or not objects:
        return
    from modelsearch.utils import get_content_type_pk

    content_type_pk = get_content_type_pk(model)
    vectors = _Vectors(index, index.backend)
    statements: dict[str, list[list]] = {}
    for obj in objects:
        texts = _Texts(obj, index.backend)
        parts, params = [], [content_type_pk, texts.id]
        for column in ("title", "autocomplete", "body"):
            sql, vector_params = vectors.sql(column, getattr(texts, column))
            parts.append(sql)
            params += vector_params
        params += [texts.title_text, texts.body_text]
        statements.setdefault("(%s, %s, {}, {}, {}, 1.0, %s, %s)".format(*parts), []).append(params)
    with index.write_connection.cursor() as cursor:
        for values, rows in statements.items():
            cursor.executemany(
                f"""
                INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title,
                    autocomplete, body, title_norm, title_text, body_text)
                VALUES {values}
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,
                rows,
            )
    index._refresh_title_norms()
