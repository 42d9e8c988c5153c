"""The ``serge-tei`` command line: thin click adapters over the library.

This is the only place that prints and chooses exit codes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ExitCode, SergeTeiError
from .findings import FileResult
from .formats import (
    FORMATS,
    finding_line,
    github_step_summary,
    grouped_summary,
    render_github,
    render_json,
    render_junit,
    render_text,
    safe,
    summary_line,
)


def _versions() -> str:
    import lxml.etree as et

    try:
        from importlib.metadata import version

        saxon = version("saxonche")
    except Exception:
        saxon = "not installed"
    libxml2 = ".".join(map(str, et.LIBXML_VERSION))
    return (f"serge-tei {__version__} (lxml {et.__version__}, libxml2 {libxml2}, "
            f"saxonche {saxon}, Python {sys.version.split()[0]})")


def _fail(exc: SergeTeiError) -> None:
    where = exc.location()
    prefix = f"{safe(where)}: " if where else ""
    click.echo(f"{prefix}error: {safe(exc.message)}", err=True)
    sys.exit(int(exc.exit_code))


class _Group(click.Group):
    """Turns the toolkit's exceptions into messages and exit codes, once, here."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SergeTeiError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message=_versions())
def main() -> None:
    """serge-tei: validate, lint and publish TEI P5 documents.

    Exit codes: 0 ok, 1 invalid document(s), 2 usage or unusable input,
    3 the toolkit itself failed.
    """


def _use_progress(fmt: str, total: int) -> bool:
    return fmt == "text" and total >= 50 and sys.stderr.isatty() and not os.environ.get("CI")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--schema", type=click.Path(path_type=Path, dir_okay=False),
              help="RelaxNG schema (.rng) to validate against, instead of xml-model PIs.")
@click.option("--schematron", type=click.Path(path_type=Path, dir_okay=False),
              help="ISO Schematron file (.sch) to apply.")
@click.option("--tei-all", "tei_all", is_flag=True,
              help="Check conformance with the official TEI P5 tei_all schema.")
@click.option("--tei-all-schema", type=click.Path(path_type=Path, dir_okay=False),
              help="Where tei_all.rng is (default: configuration or an installed package).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Parallel processes (default: all cores).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def validate(paths: tuple[str, ...], schema: Path | None, schematron: Path | None,
             tei_all: bool, tei_all_schema: Path | None, fmt: str, jobs: int,
             strict: bool) -> None:
    """Validate TEI files, folders (recursively *.xml) or globs.

    With no PATHS, the edition configured under [tool.serge-tei] is checked.
    Every problem is printed as path:line:col: severity: message [rule].

    \b
    Example:
      serge-tei validate tei/ --format github
    """
    from .validate import validate as run

    # Text streams each file's findings as soon as it is checked, in input order.
    stream = fmt == "text"

    def on_result(result: FileResult) -> None:
        for finding in result.findings:
            click.echo(finding_line(finding))

    report = run(paths, schema=schema, schematron=schematron, tei_all=tei_all or bool(
        tei_all_schema), tei_all_path=tei_all_schema, jobs=jobs,
        on_result=on_result if stream else None)
    if stream:
        for line in [*grouped_summary(report.files), summary_line(report.files, report.seconds)]:
            click.echo(line)
    else:
        _emit(report.files, report.seconds, fmt, "serge-tei validate")
    sys.exit(int(report.exit_code_for(strict)))


def _emit(results: list[FileResult], seconds: float, fmt: str, suite: str) -> None:
    if fmt == "json":
        click.echo(render_json(results, seconds, f"serge-tei {__version__}"), nl=False)
    elif fmt == "github":
        click.echo(render_github(results, seconds), nl=False)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(github_step_summary(results, seconds))
    elif fmt == "junit":
        click.echo(render_junit(results, seconds, suite), nl=False)
    else:
        click.echo(render_text(results, seconds), nl=False)


@main.command()
@click.argument("edition", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Output folder (default: out/ beside pyproject.toml, or ./out).")
def build(edition: Path | None, out: Path | None) -> None:
    """Validate the edition, then publish it as a static site.

    Writes the reading editions (HTML), plain texts, person and place indexes
    (HTML, JSON, CSV) and the home page. Invalid input publishes nothing and
    the previous output stays as it was.

    \b
    Example:
      serge-tei build --out out/
    """
    from .build import build as run_build
    from .config import load_config
    from .errors import InvalidInput, UsageError

    config = load_config()
    edition = edition or config.edition
    if edition is None:
        raise UsageError("no edition given and none configured: pass the folder of TEI files, "
                         "or set edition = \"DIR\" under [tool.serge-tei]")
    target = out or (config.root or Path.cwd()) / "out"
    try:
        result = run_build(edition, target)
    except InvalidInput as exc:
        for finding in exc.findings:
            click.echo(finding_line(finding), err=True)  # type: ignore[arg-type]
        raise
    click.echo(f"built {len(result.documents)} documents, {len(result.files)} files "
               f"into {safe(str(result.out))} ({result.seconds:.2f} s)")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--to", "to", type=click.Choice(["html", "text", "persons", "places"]),
              required=True, help="Output kind.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write here (atomically) instead of to standard output.")
def transform(file: Path, to: str, output: Path | None) -> None:
    """Transform one TEI document to HTML, plain text or an index.

    \b
    Example:
      serge-tei transform --to text tei/serge-diary-1936-1937.xml -o diary.txt
    """
    from .transform import transform as run_transform

    result = run_transform(file, to)
    if output is None:
        click.echo(result, nl=not result.endswith("\n"))
        return
    _write_atomic(output, result)


def _write_atomic(path: Path, text: str) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run() -> None:  # pragma: no cover - console entry point alias
    main(prog_name="serge-tei")


__all__ = ["ExitCode", "main"]
