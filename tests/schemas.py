"""Independent readings of figures/schema.py for the tests: a pandera schema of the validated frame.

pandera is a test dependency only: the app validates with figures/data.py, and these tests check that
what it returns also satisfies a schema derived separately from the same declaration.
"""

from __future__ import annotations

import pandera.pandas as pa

from figures import schema as S


def pandera_schema():
    """The pandera schema of the validated DataFrame, derived from ``COLUMNS``."""
    dtypes = S.pandas_dtypes()
    cols = {}
    for c in S.COLUMNS:
        checks = []
        if c.allowed:
            checks.append(pa.Check.isin(list(c.allowed)))
        if c.kind == "int":
            checks.append(pa.Check.ge(0))
        if c.kind == "slug":
            checks.append(pa.Check.str_matches(S.SLUG_PATTERN))
        if c.kind == "url":
            checks.append(pa.Check.str_matches(r"^https?://"))
        if c.max_length:
            checks.append(pa.Check.str_length(max_value=c.max_length))
        cols[c.name] = pa.Column(
            dtypes[c.name],
            checks=checks,
            nullable=c.nullable,
            required=c.required,
            unique=c.name == S.FIGURE_ID,
            description=c.description,
            title=c.label,
        )
    return pa.DataFrameSchema(cols, strict=False, ordered=False, coerce=False)
