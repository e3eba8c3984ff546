"""Sizes for the tests that a page's cost does not grow: the largest ones only on
PostgreSQL (CI), where building them takes seconds rather than minutes."""

import pytest
from django.db import connection


def on_postgresql(size: int):
    """A parameter that runs on PostgreSQL only."""
    return pytest.param(
        size,
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql", reason=f"{size:,}: on PostgreSQL (CI)"
        ),
    )
