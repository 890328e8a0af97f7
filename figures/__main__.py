"""Command line: ``python -m figures validate [PATH]``, ``datapackage`` and ``export OUTDIR``.

Exit codes: 0 success; 1 the data breaks the contract (every problem listed); 2 the file is
missing or unreadable, or the command is used wrongly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from figures import data
from figures import schema as S


class _Exit(Exception):
    """Stop a command with an exit code after its messages are printed."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def _fail(err, file_error_type: type, consequence: str):
    """Print every problem of ``err``; exit 2 for an unreadable file, 1 for bad content."""
    if isinstance(err, file_error_type):
        for p in err.problems:
            print(f"error: {p}", file=sys.stderr)
        raise _Exit(2)
    for p in err.problems:
        print(p, file=sys.stderr)
    n = len(err.problems)
    print(f"{n} problem{'s' if n != 1 else ''} {consequence}", file=sys.stderr)
    raise _Exit(1)


def _figures(path, consequence: str = "found; nothing was loaded."):
    try:
        return data.load_figures(path)
    except data.FiguresError as err:
        _fail(err, data.FiguresFileError, consequence)


def _validate(args) -> int:
    path = Path(args.path) if args.path else data.default_path()
    df = _figures(path)
    cats = df[S.CATEGORY].nunique()
    pubs = df[S.PUBLISHER].nunique()
    docs = df[S.SOURCE_ID] if df[S.SOURCE_ID].notna().all() else df[S.SOURCE_URL]
    files = " + ".join(data.display_name(p) for p in data.data_files(path))
    print(
        f"{files}: OK: {len(df)} figures, {cats} categories, "
        f"{pubs} publishers, {docs.nunique()} source documents"
    )
    kinds = df[S.SOURCE_KIND].value_counts()
    if len(kinds):
        print(
            "  figures by kind of source: "
            + "; ".join(
                f"{S.value_label(S.SOURCE_KIND, k)} {kinds[k]} ({kinds[k] / len(df):.0%})"
                for k in S.SOURCE_KIND_LABELS
                if k in kinds
            )
        )
    return 0


def _datapackage(args) -> int:
    from figures import datapackage

    df = _figures(args.data)
    out = Path(args.out)
    out.write_text(datapackage.dumps(df), encoding="utf-8")
    print(f"wrote {out}")
    return 0


_DATA_DATE = "data-date"  # ``--version`` without a value: the data's date


def _export(args) -> int:
    from figures import site

    df = _figures(args.data or data.default_path())

    def progress(done: int, total: int, name: str) -> None:
        print(f"[{done}/{total}] {name}", file=sys.stderr)

    archive = args.version is not None
    version = args.version if args.version not in (None, _DATA_DATE) else None
    try:
        files = site.build(
            df,
            base_url=args.base_url,
            progress=progress,
            version=version,
            archive=archive,
            app_url=args.app_url,
        )
    except ValueError as exc:  # a version that is no folder name, an app URL that is no URL
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        site.write(files, args.outdir)
    except OSError as exc:
        print(f"error: cannot write the snapshot to {args.outdir}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(files)} files to {args.outdir}; open {Path(args.outdir) / site.INDEX}")
    if archive:
        dated = next(f for f in files if f.startswith(site.VERSIONS_DIR + "/"))
        print(f"dated copy: {Path(args.outdir).joinpath(*dated.split('/')[:2])}")
    return 0


def _claims(args) -> int:
    from figures import claims

    df = _figures(args.data, "in the figures, so no claim was checked.")
    try:
        found = claims.load_claims(df, args.claims)
    except claims.ClaimsError as err:
        _fail(err, claims.ClaimsFileError, "in the claims; none was checked.")
    for v in claims.evaluate_all(found, df):
        c = v.claim
        print(f"{c.claim_id}: {c.claim}: '{c.words}'")
        print(f"  {v.badge}")
        print(f"  {v.explanation}")
        if v.latest_text:
            print(f"  Latest edition: {v.latest_text}")
        print()
    print(f"{len(found)} claims checked against {len(df)} figures.")
    return 0


#: The README's contract tables: (the heading above each, the columns it documents).
README_TABLES = (
    ("### `data/casualties.csv`", S.FIGURE_FILE_COLUMNS),
    ("### `data/sources.csv`", S.SOURCE_COLUMNS),
    ("### The flat download", S.COLUMNS),
)


def readme_with_tables(text: str) -> str:
    """README text with each contract table rewritten from the schema."""
    for heading, columns in README_TABLES:
        at = text.index(heading)
        start = text.index("| column | required", at)
        end = text.find("\n\n", start)
        text = text[:start] + S.markdown_table(columns) + (text[end:] if end >= 0 else "\n")
    return text


def _readme(args) -> int:
    path = Path(args.path)
    try:
        text = path.read_text(encoding="utf-8")
        path.write_text(readme_with_tables(text), encoding="utf-8")
    except (OSError, ValueError) as exc:
        print(f"error: cannot update the tables of {path}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote the contract tables of {path}")
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
    c = sub.add_parser("claims", help="check the article's numeric claims against the figures")
    c.add_argument("--data", default=None, help="figures CSV (default: the shipped file)")
    c.add_argument("--claims", default=None, help="claims CSV (default: data/claims.csv)")
    c.set_defaults(func=_claims)
    e = sub.add_parser("export", help="write a static snapshot of the dashboard to OUTDIR")
    e.add_argument("outdir", help="folder to write (created if needed; works from file://)")
    e.add_argument("--data", default=None, help="CSV to export (default: as for validate)")
    e.add_argument(
        "--base-url",
        default=None,
        help="where it will be hosted: absolute links in citations and Open Graph tags, "
        "sitemap.xml and robots.txt",
    )
    e.add_argument(
        "--version",
        nargs="?",
        const=_DATA_DATE,
        default=None,
        metavar="V",
        help="also write a dated copy under OUTDIR/v/V/ that pages link and cite "
        "(V defaults to the data's date, its newest source's publication date, YYYY-MM-DD)",
    )
    e.add_argument(
        "--app-url",
        default=None,
        help="address of the live app: each page links its interactive version",
    )
    e.set_defaults(func=_export)
    r = sub.add_parser("readme", help="rewrite the README's contract tables from the schema")
    r.add_argument("path", nargs="?", default=str(data.PACKAGE_ROOT / "README.md"))
    r.set_defaults(func=_readme)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except _Exit as stop:
        return stop.code
    except BrokenPipeError:  # `python -m figures validate | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
