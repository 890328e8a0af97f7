"""One schema, everything derived: datapackage.json, pandera and the README agree with it."""

from __future__ import annotations

import json
import re

from figures import data, datapackage
from figures import schema as S
from tests.conftest import ROOT
from tests.schemas import pandera_schema


def test_datapackage_json_is_generated_from_schema_and_data():
    shipped = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    expected = datapackage.descriptor(data.load_figures(data.DEFAULT_PATH))
    assert shipped == expected, "run `python -m figures datapackage` to regenerate"


def test_datapackage_fields_match_schema_columns():
    fields = datapackage.descriptor()["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == list(S.ALL)
    for f in fields:
        col = S.BY_NAME[f["name"]]
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


def test_header_of_shipped_csv_follows_contract_order():
    header = (ROOT / "data" / "casualties.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[: len(S.REQUIRED)] == list(S.REQUIRED)


def test_datapackage_validates_with_frictionless():
    """An independent reader: Frictionless checks the descriptor and every row against it."""
    from frictionless import Package

    report = Package(str(ROOT / "data" / "datapackage.json")).validate()
    errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]
    errors += [f"{e.type}: {e.message}" for e in report.errors]
    assert report.valid, "\n".join(errors[:20])
    assert sum(task.stats["rows"] for task in report.tasks) > 0
