"""Deployment files: the Dockerfile (docker cannot run here, so its properties are checked by
parsing it) and .dockerignore. The lock itself is tested in tests/test_lock.py."""

from __future__ import annotations

import re
import shlex

from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"
LINUX_311 = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    out, buf = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("#") and not buf:
            continue
        if line.rstrip().endswith("\\"):
            buf += line.rstrip()[:-1] + " "
            continue
        full = (buf + line).strip()
        buf = ""
        if full:
            word, _, rest = full.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def args_of(name: str) -> list[str]:
    return [a for i, a in instructions() if i == name]


def exec_form(text: str) -> list[str]:
    import json

    return json.loads(text)


def test_dockerfile_uses_a_slim_python_311_base():
    (base,) = args_of("FROM")
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?(@sha256:[0-9a-f]{64})?", base), base


def test_dockerfile_installs_exactly_the_exported_lock():
    runs = " ".join(args_of("RUN"))
    assert "pip install" in runs and "-r requirements.txt" in runs
    assert "--require-hashes" in runs and "--no-deps" in runs
    assert any("requirements.txt" in a for a in args_of("COPY"))


def test_dockerfile_runs_as_a_non_root_user_after_installing():
    ins = [i for i, _ in instructions()]
    (user,) = args_of("USER")
    assert user.split(":")[0] not in ("root", "0")
    last_run = max(i for i, name in enumerate(ins) if name == "RUN")
    assert ins.index("USER") > last_run
    assert ins.index("USER") < ins.index("CMD")


def test_dockerfile_healthcheck_hits_stcore_health_with_python_urllib():
    (hc,) = args_of("HEALTHCHECK")
    assert "CMD" in hc
    cmd = hc.split("CMD", 1)[1].strip()
    argv = exec_form(cmd) if cmd.startswith("[") else shlex.split(cmd)
    assert argv[0] == "python"
    script = " ".join(argv)
    assert "urllib.request" in script and "/_stcore/health" in script and ":8501" in script
    assert "curl" not in hc and "wget" not in hc


def test_dockerfile_exposes_8501_and_serves_the_app_with_production_config():
    assert args_of("EXPOSE") == ["8501"]
    copies = args_of("COPY")
    assert any(".streamlit/config.toml" in c for c in copies)
    (cmd,) = args_of("CMD")
    argv = exec_form(cmd)
    assert argv[:3] == ["python", "-m", "figures.ui.serve"]
    assert "--server.port=8501" in argv and "--server.address=0.0.0.0" in argv


def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "tests"} <= ignored
    for c in args_of("COPY"):
        *sources, _dest = c.split()
        for src in sources:
            if src.startswith("--"):
                continue
            assert (ROOT / src).exists(), f"COPY {src}: no such file"
            assert src.rstrip("/") not in ignored, f"COPY {src} is excluded by .dockerignore"
    copied = " ".join(args_of("COPY"))
    for needed in ("app.py", "figures", "data"):
        assert needed in copied
