"""An export file's schema objects against the format's own: tables, views, triggers and indexes.

A replaced ``attendance`` view (what DB Browser and Datasette show a reader), an added table, trigger or
index, or a removed one, is named by :func:`compare_objects`, which the verifier reports.
"""
from __future__ import annotations

import functools
import sqlite3

from kiosk.exchange.format import schema_sql

#: Every object of the file but what SQLite makes on its own (the indexes of UNIQUE and PRIMARY KEY
#: constraints, which have no SQL, and its statistics tables).  Not ``name NOT LIKE 'sqlite_%'``: in LIKE,
#: ``_`` is any character, so that would pass over a view named ``sqlitex``; and with
#: ``PRAGMA writable_schema`` anyone can plant a trigger or a view named ``sqlite_…`` that SQLite then runs.
OBJECTS = ("SELECT type, name, sql FROM {s}.sqlite_master WHERE NOT (type = 'index' AND sql IS NULL) "
           "AND NOT (type = 'table' AND name IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat2', "
           "'sqlite_stat3', 'sqlite_stat4'))")
KINDS = ("table", "view", "trigger", "index")


def _objects(conn: sqlite3.Connection, schema: str) -> dict[tuple[str, str], str]:
    """(type, name) → the object's SQL with its white space normalised."""
    return {(t, n): " ".join((sql or "").split()) for t, n, sql in conn.execute(OBJECTS.replace("{s}", schema))}


@functools.cache
def format_objects(version: int) -> dict[tuple[str, str], str]:
    """Every object the format's own schema makes."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in schema_sql(version).split(";\n"):
            if statement.strip():
                conn.execute(statement)
        return _objects(conn, "main")
    finally:
        conn.close()


def compare_objects(conn: sqlite3.Connection, schema: str, version: int) -> list[tuple[str, str, str]]:
    """(problem code, type, name) for every object added, altered or removed (a missing table is left to the
    column check, which names it)."""
    expected, found = format_objects(version), _objects(conn, schema)
    problems = []
    for (kind, name), sql in sorted(found.items()):
        if (kind, name) not in expected:
            problems.append(("verify.schema_added", kind, name))
        elif expected[(kind, name)] != sql:
            problems.append(("verify.schema_altered", kind, name))
    problems += [("verify.schema_removed", kind, name) for kind, name in sorted(set(expected) - set(found))
                 if kind != "table"]
    return problems
