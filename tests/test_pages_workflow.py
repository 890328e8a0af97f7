"""The GitHub Pages workflow (.github/workflows/pages.yml) parses, has what a Pages deployment
needs, and its export command is one the real command line accepts: the workflow's `make export`
line is expanded by make itself (`make -n`), parsed by ``figures.__main__``'s argparse parser, and
run on the test data.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest
import yaml

from figures.__main__ import build_parser, main
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
#: What actions/configure-pages gives as ``base_url`` for a project site.
PAGES_URL = "https://owner.github.io/repo"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def _step(workflow: dict, job: str, uses: str) -> dict:
    found = [s for s in _steps(workflow, job) if str(s.get("uses", "")).startswith(uses + "@")]
    assert len(found) == 1, f"job {job!r}: expected one step using {uses} (got {len(found)})"
    return found[0]


def _export_step(workflow: dict) -> dict:
    found = [s for s in _steps(workflow, "build") if "make export" in s.get("run", "")]
    assert len(found) == 1, "the build job must run `make export` once"
    return found[0]


def _cli_argv(workflow: dict) -> list[str]:
    """The `python -m figures ...` arguments the workflow's export step runs, as make expands it."""
    step = _export_step(workflow)
    env = {k: str(v) for k, v in step.get("env", {}).items()}
    assert env == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}
    line = step["run"].strip()
    assert "\n" not in line, "one command, so that the test sees all of it"
    words = shlex.split(line.replace("$BASE_URL", PAGES_URL))
    assert words[:2] == ["make", "export"], words
    make = shutil.which("make")
    if make is None:
        pytest.fail("make is required (it installs and runs everything; see README)")
    dry = subprocess.run(
        [make, "-n", *words[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert dry.returncode == 0, dry.stderr
    commands = [c for c in dry.stdout.splitlines() if " -m figures export " in c]
    assert len(commands) == 1, dry.stdout
    argv = shlex.split(commands[0])
    return argv[argv.index("figures") + 1 :]


def test_runs_on_push_to_main_and_by_hand(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the bare key `on` as True
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on


def test_has_only_the_permissions_a_pages_deployment_needs(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_builds_with_python_3_11_and_uploads_what_it_exported(workflow):
    setup = _step(workflow, "build", "actions/setup-python")
    assert setup["with"]["python-version"] == "3.11"  # a string: 3.10 would be read as 3.1
    pages = _step(workflow, "build", "actions/configure-pages")
    assert pages["id"] == "pages"
    steps = _steps(workflow, "build")
    upload = _step(workflow, "build", "actions/upload-pages-artifact")
    assert steps.index(pages) < steps.index(_export_step(workflow)) < steps.index(upload)
    args = build_parser().parse_args(_cli_argv(workflow))
    assert upload["with"]["path"] == args.outdir == "_site"


def test_deploys_the_uploaded_artifact_to_the_pages_environment(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    step = _step(workflow, "deploy", "actions/deploy-pages")
    url = "${{ steps." + step["id"] + ".outputs.page_url }}"
    assert deploy["environment"]["url"] == url


def test_the_export_command_is_accepted_by_the_cli_and_writes_a_citable_snapshot(
    workflow, tmp_path, capsys
):
    argv = _cli_argv(workflow)
    args = build_parser().parse_args(argv)
    assert args.command == "export"
    assert args.base_url == PAGES_URL + "/"
    out = tmp_path / "_site"
    argv[argv.index(args.outdir)] = str(out)
    assert main(argv) == 0, capsys.readouterr().err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert PAGES_URL + "/" in index  # the citation names where the snapshot is published
    assert (out / "casualties.csv").is_file() and (out / "datapackage.json").is_file()
