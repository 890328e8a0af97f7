"""Command line: ``python -m figures validate [PATH]`` and ``python -m figures datapackage``.

Exit codes: 0 success; 1 the data breaks the contract (every problem listed); 2 the file is
missing or unreadable, or the command is used wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from figures import data
from figures import schema as S


def _validate(args) -> int:
    path = Path(args.path) if args.path else data.default_path()
    try:
        df = data.load_figures(path)
    except data.FiguresFileError as err:
        for p in err.problems:
            print(f"error: {p}", file=sys.stderr)
        return 2
    except data.FiguresError as err:
        for p in err.problems:
            print(p, file=sys.stderr)
        n = len(err.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; nothing was loaded.", file=sys.stderr)
        return 1
    cats = df[S.CATEGORY].nunique()
    pubs = df[S.PUBLISHER].nunique()
    urls = df[S.SOURCE_URL].nunique()
    print(
        f"{data.display_name(path)}: OK: {len(df)} figures, {cats} categories, "
        f"{pubs} publishers, {urls} source documents"
    )
    return 0


def _datapackage(args) -> int:
    from figures import datapackage

    try:
        df = data.load_figures(args.data)
    except data.FiguresError as err:
        print(err, file=sys.stderr)
        return 1
    out = Path(args.out)
    out.write_text(datapackage.dumps(df), encoding="utf-8")
    print(f"wrote {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m figures", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check a figures CSV against the contract")
    v.add_argument(
        "path", nargs="?", help=f"CSV file (default: ${data.ENV_VAR} or the shipped file)"
    )
    v.set_defaults(func=_validate)
    d = sub.add_parser("datapackage", help="write datapackage.json from the schema")
    d.add_argument("--data", default=None, help="CSV to list sources from")
    d.add_argument("--out", default=str(data.DEFAULT_PATH.parent / "datapackage.json"))
    d.set_defaults(func=_datapackage)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
