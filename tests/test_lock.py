"""One lock for every dependency: uv.lock. The environment, requirements.txt (Streamlit Community
Cloud) and the Dockerfile (which installs requirements.txt) hold exactly what it says."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import distributions

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PROJECT = canonicalize_name(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"])
#: What a virtual environment may be seeded with by the tool that made it, outside any lock.
SEEDS = {"pip", "setuptools", "wheel"}


def lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def locked_versions() -> dict[str, set[str]]:
    """name -> every version the lock holds for it (a fork by Python version can hold two)."""
    out: dict[str, set[str]] = {}
    for pkg in lock()["package"]:
        out.setdefault(canonicalize_name(pkg["name"]), set()).add(pkg["version"])
    return out


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def here(marker: str | None, extra: str = "") -> bool:
    return marker is None or Marker(marker).evaluate({"extra": extra})


def test_the_lock_was_made_from_this_pyproject():
    """`uv sync --frozen` trusts the lock; this catches a pyproject edit without `make lock`."""
    (project,) = [p for p in lock()["package"] if canonicalize_name(p["name"]) == PROJECT]
    in_lock = {
        (canonicalize_name(r["name"]), r.get("specifier", ""), r.get("marker", ""))
        for r in project["metadata"]["requires-dist"]
    }
    declared = set()
    for dep in pyproject()["dependencies"]:
        req = Requirement(dep)
        declared.add((canonicalize_name(req.name), str(req.specifier), ""))
    for extra, deps in pyproject()["optional-dependencies"].items():
        for dep in deps:
            req = Requirement(dep)
            declared.add((canonicalize_name(req.name), str(req.specifier), f"extra == '{extra}'"))
    assert in_lock == declared, "pyproject.toml changed since uv.lock was made: run `make lock`"


def test_installed_versions_equal_the_lock():
    locked, have = locked_versions(), installed()
    assert len(have) > 20, "no environment to check"
    problems = []
    for name, ver in sorted(have.items()):
        if name == PROJECT or name in SEEDS:
            continue
        if name not in locked:
            problems.append(f"{name}=={ver} is installed but not in uv.lock")
        elif ver not in locked[name]:
            problems.append(f"{name}: installed {ver}, uv.lock has {sorted(locked[name])}")
    assert not problems, "\n".join(problems)


def test_every_declared_dependency_is_installed():
    have = installed()
    for dep in [*pyproject()["dependencies"], *pyproject()["optional-dependencies"]["test"]]:
        name = canonicalize_name(Requirement(dep).name)
        assert name in have, f"{name} is declared in pyproject.toml but not installed"


def requirements_txt() -> dict[str, str]:
    """name -> pinned version, for the lines whose environment marker holds here."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if not re.match(r"^[A-Za-z0-9]", line):
            continue
        req = Requirement(line.rstrip(" \\"))
        (spec,) = req.specifier
        assert spec.operator == "==", f"requirements.txt: {line!r} is not an exact pin"
        if req.marker is None or req.marker.evaluate():
            pins[canonicalize_name(req.name)] = spec.version
    return pins


def runtime_closure() -> dict[str, str]:
    """The packages the runtime needs on this interpreter and platform, from the lock alone."""
    pkgs = {}
    for pkg in lock()["package"]:
        pkgs.setdefault(canonicalize_name(pkg["name"]), []).append(pkg)

    def pick(name: str, version: str | None) -> dict:
        options = pkgs[name]
        if version:
            options = [p for p in options if p["version"] == version]
        assert len(options) == 1, f"{name}: ambiguous in uv.lock"
        return options[0]

    out, todo = {}, [(PROJECT, None)]
    while todo:
        name, version = todo.pop()
        pkg = pick(name, version)
        for dep in pkg.get("dependencies", []):
            dep_name = canonicalize_name(dep["name"])
            if here(dep.get("marker")) and dep_name not in out:
                out[dep_name] = pick(dep_name, dep.get("version"))["version"]
                todo.append((dep_name, dep.get("version")))
    return out


def test_requirements_txt_is_the_runtime_part_of_the_lock():
    pins, closure = requirements_txt(), runtime_closure()
    # requirements.txt is exported for every platform; on this one its pins include the closure.
    for name, ver in closure.items():
        assert pins.get(name) == ver, (
            f"requirements.txt: {name} should be =={ver} (run `make lock`)"
        )
    locked = locked_versions()
    for name, ver in pins.items():
        assert ver in locked.get(name, set()), (
            f"requirements.txt pins {name}=={ver}, not in uv.lock"
        )
    for tool in ("pytest", "playwright", "ruff", "hypothesis", "pandera", "frictionless"):
        assert tool not in pins, f"requirements.txt carries the test tool {tool}"
    assert "--hash=sha256:" in (ROOT / "requirements.txt").read_text(encoding="utf-8")


def test_the_runtime_dependencies_are_what_the_code_imports():
    """Nothing the app never imports is a runtime dependency (pandera lives with the tests)."""
    import_names = {
        "streamlit": "streamlit",
        "plotly": "plotly",
        "pandas": "pandas",
        "jinja2": "jinja2",
        "markdown-it-py": "markdown_it",
    }
    declared = {canonicalize_name(Requirement(d).name) for d in pyproject()["dependencies"]}
    assert declared == set(import_names)
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "figures").rglob("*.py"))
    source += (ROOT / "app.py").read_text(encoding="utf-8")
    for module in import_names.values():
        assert re.search(rf"^\s*(import|from) {module}\b", source, re.M), module
    assert not re.search(r"^\s*(import|from) pandera\b", source, re.M)


def test_the_interpreter_is_supported():
    spec = pyproject()["requires-python"]
    assert spec == lock()["requires-python"]
    assert sys.version_info >= (3, 11)
