"""One schema, everything derived: datapackage.json, pandera and the README agree with it.

The README is read here (it names no figure); the shipped data/datapackage.json and the header of
data/casualties.csv are checked in tests/test_dataset.py.
"""

from __future__ import annotations

import re

from figures import datapackage
from figures import schema as S
from tests.conftest import ROOT
from tests.schemas import pandera_schema


def test_datapackage_fields_match_schema_columns():
    figures, sources = datapackage.descriptor()["resources"]
    for resource, columns in ((figures, S.FIGURE_FILE_COLUMNS), (sources, S.SOURCE_COLUMNS)):
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in columns]
        for f, col in zip(fields, columns, strict=True):
            assert f["description"] == col.description
            assert f.get("constraints", {}).get("enum", []) == list(col.allowed)


def test_pandera_schema_covers_every_column():
    assert list(pandera_schema().columns) == list(S.ALL)


def test_column_constants_name_every_column():
    constants = {v for k, v in vars(S).items() if k.isupper() and isinstance(v, str)}
    assert set(S.ALL) <= constants


def test_readme_documents_every_column_and_allowed_value():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The CSV contract") :]
    for col in S.COLUMNS:
        assert re.search(rf"^\| `{col.name}` \|", section, re.M), col.name
        for value in col.allowed:
            assert f"`{value}`" in section, (col.name, value)
