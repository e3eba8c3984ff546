"""Reads compiled once per database connection and run again with new parameters.

The respondent's save is the request sent most often, and compiling its locked read (some
thirty columns resolved through two joins) costs more than running it: the SQL and its
value converters are made once per connection, and each save only sends its parameters.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class CompiledRead:
    """A `values_list` queryset's SQL, with the positions its parameters take."""

    sql: str
    compiler: SQLCompiler
    converters: dict
    slots: tuple[int, ...]  # for each parameter of `rows`, its place in the statement's

    def rows(self, cursor, *parameters: Any) -> list[tuple]:
        values = [None] * len(self.slots)
        for slot, value in zip(self.slots, parameters, strict=True):
            values[slot] = value
        cursor.execute(self.sql, values)
        rows = cursor.fetchall()
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows


def compiled_read(
    build: Callable[..., QuerySet], markers: Sequence[Any], *, using: str = "default"
) -> CompiledRead:
    """`build(*markers)`, a `values_list` queryset, compiled for this thread's connection.

    `markers` are distinct stand-ins for the parameters, each found once among the
    compiled statement's, so that later calls put theirs in the same places.
    """
    return _compiled(build, tuple(markers), connections[using])


@cache
def _compiled(build, markers: tuple, connection) -> CompiledRead:
    # Keyed by the connection: each thread has its own, and converters belong to it.
    queryset = build(*markers)
    compiler = queryset.query.get_compiler(connection=connection)
    sql, parameters = compiler.as_sql()
    slots = tuple(list(parameters).index(marker) for marker in markers)
    if len(parameters) != len(markers):
        raise ValueError("every parameter of the statement must be one of the markers")
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    return CompiledRead(sql, compiler, compiler.get_converters(fields), slots)
