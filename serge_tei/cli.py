"""The ``serge-tei`` command line: thin click adapters over the library.

This is the only place that prints and chooses exit codes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import ExitCode, SergeTeiError
from .findings import FileResult

if TYPE_CHECKING:
    from .config import Config
from .formats import (
    FORMATS,
    finding_line,
    github_step_summary,
    grouped_summary,
    render_github,
    render_json,
    render_junit,
    render_sarif,
    render_text,
    safe,
    schema_summary,
    severity_label,
    summary_line,
    use_color,
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


#: set to 1 to see the traceback of an internal error
DEBUG_ENV = "SERGE_TEI_DEBUG"
#: where an internal error is to be reported
REPORT_TO = ("please report this to the serge-tei maintainers (see CONTRIBUTING.md, "
             "\"Reporting a bug\") with the command you ran and the two lines below")


def _fail(exc: SergeTeiError) -> NoReturn:
    where = exc.location()
    prefix = f"{safe(where)}: " if where else ""
    label = severity_label("error", use_color(sys.stderr))
    click.echo(f"{prefix}{label}: {safe(exc.message)}", err=True)
    sys.exit(int(exc.exit_code))


def _internal(exc: Exception) -> NoReturn:
    """A bug (not the user's input): exit 3, with what a report needs, no traceback."""
    click.echo(f"serge-tei: internal error: {REPORT_TO}", err=True)
    click.echo(f"  {type(exc).__name__}: {safe(str(exc))}", err=True)
    click.echo(f"  {_versions()}", err=True)
    if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
        click.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
    else:
        click.echo(f"(run again with {DEBUG_ENV}=1 to see where it failed)", err=True)
    sys.exit(int(ExitCode.INTERNAL))


def _os_error(exc: OSError) -> NoReturn:
    """A file the command was given (or had to write) could not be used: exit 2, named.

    Only an error about a named file is the user's to fix (a name too long for the
    file system, a full or read-only disk); any other is internal.
    """
    if exc.filename is None:
        _internal(exc)
    from .errors import InputError

    _fail(InputError(f"{exc.strerror or exc}", path=os.fsdecode(exc.filename)))


def _interrupted() -> NoReturn:
    click.echo("serge-tei: interrupted", err=True)
    sys.exit(int(ExitCode.INTERRUPTED))


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI job cancelled, ``kill``) stops a command as Ctrl-C does: it cleans up
    (a build's staging folder, pool workers, the Schematron sandbox) and exits 130."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Group(click.Group):
    """Turns every exception into a message and an exit code from the table, once, here."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            with _terminate_as_interrupt():
                code = super().main(args, prog_name, complete_var, False, **extra)
        except SergeTeiError as exc:
            _fail(exc)
        except click.ClickException as exc:  # bad option, missing argument: one style
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                click.echo(f"{exc.ctx.get_usage()}\nTry '{exc.ctx.command_path} --help' "
                           "for help.\n", err=True)
            label = severity_label("error", use_color(sys.stderr))
            click.echo(f"{label}: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort as exc:  # click's word for Ctrl-C (or end of input) at a prompt
            if isinstance(exc.__context__, KeyboardInterrupt):
                _interrupted()
            click.echo("aborted", err=True)
            sys.exit(int(ExitCode.INVALID))
        except KeyboardInterrupt:
            _interrupted()
        except OSError as exc:
            _os_error(exc)
        except Exception as exc:
            _internal(exc)
        sys.exit(code if isinstance(code, int) else 0)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # Computed only when asked: importlib.metadata costs ~30 ms of every start-up.
    if value and not ctx.resilient_parsing:
        click.echo(_versions())
        ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Show the versions and exit.")
def main() -> None:
    """serge-tei: validate, lint and publish TEI P5 documents.

    Exit codes: 0 ok, 1 invalid document(s), 2 usage or unusable input,
    3 the toolkit itself failed, 130 interrupted (Ctrl-C or SIGTERM).

    The configuration is the nearest serge-tei.toml, or pyproject.toml with
    [tool.serge-tei], from the first path named (else the working folder) up
    to the repository root.
    """


def _use_progress(fmt: str, total: int) -> bool:
    return fmt == "text" and total >= 50 and sys.stderr.isatty() and not os.environ.get("CI")


def _config(paths: Sequence[str | os.PathLike[str]]) -> Config:
    """The configuration of the project of *paths* (the only place that looks for one)."""
    from .config import find_config

    return find_config(paths)


def _lang_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--lang``: a language tag (BCP 47), as ``lang`` in the configuration must be."""
    from .config import LANG_TAG

    if value is not None and not LANG_TAG.fullmatch(value):
        raise click.BadParameter(f'{value!r} is not a language tag such as "de" or "la"')
    return value


def _progress_bar(fmt: str, paths: tuple[str, ...], config: Config) -> Any:
    """A progress bar on stderr for long runs on a terminal, else None (never in CI logs)."""
    if not _use_progress(fmt, 50):  # the cheap checks first: no file counting for nothing
        return None
    from .inputs import default_targets, expand_paths

    try:
        total = len(expand_paths(paths or default_targets(config)))
    except SergeTeiError:
        return None  # the run itself reports it
    if not _use_progress(fmt, total):
        return None
    return click.progressbar(length=total, label="validating", file=sys.stderr)


class _TeiAllCommand(click.Command):
    """``--tei-all`` is a flag that may be followed by a release: ``--tei-all 4.12.0``.

    A word right after ``--tei-all`` that is a release number (N.N.N) is taken
    as ``--tei-all-version``; anything else (a path, another option) is left as
    it was, so ``--tei-all tei/`` still checks ``tei/`` against the default release.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from .validation.teiall import is_version

        out: list[str] = []
        for i, arg in enumerate(args):
            out.append(arg)
            if arg == "--tei-all" and i + 1 < len(args) and is_version(args[i + 1]):
                out.append("--tei-all-version")
            elif arg.startswith("--tei-all="):
                out[-1:] = ["--tei-all", "--tei-all-version", arg.removeprefix("--tei-all=")]
        return super().parse_args(ctx, out)


_CHANGED_HELP = ("Only files changed against git REF (default: the merge base with the default "
                 "branch, else uncommitted changes), the files that point at ids they changed, "
                 "and every file when a schema or the configuration changed; write --changed=REF "
                 "before PATHS.")


@main.command(cls=_TeiAllCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--schema", type=click.Path(path_type=Path, dir_okay=False),
              help="RelaxNG schema (.rng) to validate against, instead of xml-model PIs.")
@click.option("--schematron", type=click.Path(path_type=Path, dir_okay=False),
              help="ISO Schematron file (.sch) to apply.")
@click.option("--tei-all", "tei_all", is_flag=True,
              help="Check conformance with the official TEI P5 tei_all schema; "
              "--tei-all VERSION picks a release (see fetch-tei-all).")
@click.option("--tei-all-version", metavar="VERSION",
              help="The tei_all release to check against (packaged, or fetched before with "
              "fetch-tei-all); implies --tei-all.")
@click.option("--tei-all-schema", type=click.Path(path_type=Path, dir_okay=False),
              help="Where tei_all.rng is (default: configuration or an installed package).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Parallel processes (default: all cores).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when documents are invalid (warn-only adoption); unusable "
              "input still exits 2.")
@click.option("--changed", "changed", is_flag=False, flag_value="", default=None,
              metavar="[REF]", help=_CHANGED_HELP)
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Check every file again: neither read nor write the results cache.")
@click.option("--scheduler", envvar="SERGE_TEI_SCHEDULER", default=None, metavar="ADDRESS",
              help="A Dask scheduler (tcp://host:8786) whose workers do the work "
              "(pip install 'serge-tei[dask]'; default: $SERGE_TEI_SCHEDULER, else local "
              "processes).")
def validate(paths: tuple[str, ...], schema: Path | None, schematron: Path | None,
             tei_all: bool, tei_all_version: str | None, tei_all_schema: Path | None, fmt: str,
             jobs: int, strict: bool, exit_zero: bool, changed: str | None, no_cache: bool,
             scheduler: str | None) -> None:
    """Validate TEI files, folders (recursively *.xml) or globs.

    With no PATHS, the edition configured under [tool.serge-tei] is checked.
    Every problem is printed as path:line:col: severity: message [rule].
    A file names its rules with <?xml-model?>; a file of the configured
    edition that names none gets the edition's own schema, any other file
    tei_all (else it is only checked to be well-formed, with a warning).

    \b
    Example:
      serge-tei validate tei/ --format github
    """
    from .validation.run import validate as run

    config = _config(paths)
    if changed is not None:
        paths = _changed_only(paths, changed, config)
        if not paths:  # nothing to check is a pass, not "check the whole edition"
            _emit([], 0.0, fmt, "serge-tei validate")
            sys.exit(int(ExitCode.OK))
    # Text streams each file's findings as soon as it is checked, in input order.
    stream = fmt == "text"
    color = use_color()
    bar = _progress_bar(fmt, paths, config)

    def on_result(result: FileResult) -> None:
        if bar is not None and result.findings:
            click.echo("\r\033[K", nl=False, err=True)  # the bar's line, cleared for findings
        for finding in result.findings:
            click.echo(finding_line(finding, color))
        if bar is not None:
            bar.update(1)

    with bar if bar is not None else contextlib.nullcontext():
        report = run(paths, schema=schema, schematron=schematron, tei_all=tei_all or bool(
            tei_all_schema or tei_all_version), tei_all_path=tei_all_schema,
            tei_all_version=tei_all_version, jobs=jobs, config=config,
            on_result=on_result if stream else None, cache=not no_cache, scheduler=scheduler)
    if stream:
        for line in [*grouped_summary(report.files), *schema_summary(report.files),
                     summary_line(report.files, report.seconds)]:
            click.echo(line)
    else:
        _emit(report.files, report.seconds, fmt, "serge-tei validate")
    sys.exit(_exit_code(report, strict, exit_zero))


def _exit_code(report: Any, strict: bool, exit_zero: bool) -> int:
    """The run's exit code; with --exit-zero, findings never fail it (unusable input does)."""
    code = report.exit_code_for(strict)
    return int(ExitCode.OK if exit_zero and code == ExitCode.INVALID else code)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when there are findings (warn-only adoption).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Parallel processes (default: all cores; used from 16 documents).")
@click.option("--changed", "changed", is_flag=False, flag_value="", default=None,
              metavar="[REF]", help="Only files changed against git REF (default: the merge "
              "base with the default branch, else uncommitted changes); write --changed=REF "
              "before PATHS.")
@click.option("--write-baseline", "write_to", type=click.Path(path_type=Path, dir_okay=False),
              default=None, metavar="FILE",
              help="Record every current finding in FILE and exit 0; with baseline = FILE "
              "under [tool.serge-tei.lint], later runs report only new findings.")
@click.option("--no-baseline", is_flag=True,
              help="Report every finding, also those the configured baseline records.")
@click.option("--scheduler", envvar="SERGE_TEI_SCHEDULER", default=None, metavar="ADDRESS",
              help="A Dask scheduler (tcp://host:8786) whose workers do the work "
              "(pip install 'serge-tei[dask]'; default: $SERGE_TEI_SCHEDULER, else local "
              "processes).")
def lint(paths: tuple[str, ...], fmt: str, strict: bool, exit_zero: bool, jobs: int,
         changed: str | None, write_to: Path | None, no_baseline: bool,
         scheduler: str | None) -> None:
    """Find what the markup missed, checked against the authority files.

    Untagged names, inconsistent references, unrecorded or unused variants,
    dates that contradict their values, unanchored notes, speakers who are
    no person (docs/lint.md lists the rules). Each document is linted under
    the profile its kind calls for (prose, drama, letters); rules, profiles
    and a baseline file are set under [tool.serge-tei.lint]. With no PATHS,
    the edition configured under [tool.serge-tei] is linted.

    \b
    Example:
      serge-tei lint tei/ --strict
    """
    from .lint import lint as run
    from .lint import write_baseline

    config = _config(paths)
    if changed is not None:
        paths = _changed_only(paths, changed, config)
        if not paths:  # nothing changed: a pass, not "lint the whole edition"
            _emit([], 0.0, fmt, "serge-tei lint")
            sys.exit(int(ExitCode.OK))
    if write_to is not None:
        report, recorded = write_baseline(write_to, paths, jobs=jobs, config=config,
                                          scheduler=scheduler)
        # files that could not be read are not recorded: say which, and fail like a run
        for finding in (f for r in report.files for f in r.findings if f.rule.startswith("input.")):
            click.echo(finding_line(finding, use_color()))
        click.echo(f"recorded {recorded} finding{'s' if recorded != 1 else ''} of "
                   f"{len(report.files)} file{'s' if len(report.files) != 1 else ''} in "
                   f"{safe(str(write_to))}")
        sys.exit(int(ExitCode.USAGE if any(not r.readable for r in report.files)
                     else ExitCode.OK))
    report = run(paths, jobs=jobs, config=config, use_baseline=not no_baseline,
                 scheduler=scheduler)
    if fmt == "text":
        color = use_color()
        lines = [finding_line(f, color) for r in report.files for f in r.findings]
        lines += [*grouped_summary(report.files),
                  summary_line(report.files, report.seconds, "linted")]
        click.echo("\n".join(lines))
    else:
        _emit(report.files, report.seconds, fmt, "serge-tei lint")
    sys.exit(_exit_code(report, strict, exit_zero))


def _changed_only(paths: tuple[str, ...], ref: str, config: Config) -> tuple[str, ...]:
    """Of PATHS (default: the configured edition), the .xml files changed against *ref*."""
    from .changes import select_changed
    from .inputs import default_targets, expand_paths

    scope = paths or tuple(default_targets(config))
    return tuple(select_changed(expand_paths(scope), ref or None, limits=config.limits))


def _emit(results: list[FileResult], seconds: float, fmt: str, suite: str) -> None:
    if fmt == "json":
        click.echo(render_json(results, seconds, f"serge-tei {__version__}"), nl=False)
    elif fmt == "sarif":
        click.echo(render_sarif(results, seconds, __version__), nl=False)
    elif fmt == "github":
        click.echo(render_github(results, seconds), nl=False)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            _append_summary(Path(summary), results, seconds)
    elif fmt == "junit":
        click.echo(render_junit(results, seconds, suite), nl=False)
    else:
        click.echo(render_text(results, seconds, use_color()), nl=False)


def _append_summary(path: Path, results: list[FileResult], seconds: float) -> None:
    """Add to the job summary, within what is left of GitHub's 1 MiB for the step."""
    from .formats import SUMMARY_LIMIT

    try:
        used = path.stat().st_size
    except OSError:
        used = 0
    room = SUMMARY_LIMIT - used
    if room <= 1024:
        return  # the step's summary is already full; the log has every finding
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(github_step_summary(results, seconds, room))


@main.command("fetch-tei-all")
@click.argument("version")
def fetch_tei_all_command(version: str) -> None:
    """Download a release of tei_all from the TEI Consortium, once, into the user cache.

    The file comes over HTTPS from the TEI Consortium's release vault and is
    kept only if its SHA-256 is the digest pinned in serge-tei for VERSION
    (serge-tei never downloads anything while validating). Then
    `serge-tei validate --tei-all VERSION` uses it.

    \b
    Example:
      serge-tei fetch-tei-all 4.12.0
    """
    from .validation.teiall import fetch_tei_all

    found, downloaded = fetch_tei_all(version)
    verb = "fetched" if downloaded else "already fetched:"
    click.echo(f"{verb} tei_all {version} into {safe(str(found.path))} (SHA-256 checked)")


@main.command(cls=_TeiAllCommand)
@click.argument("edition", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Output folder (default: out/ beside pyproject.toml, or ./out).")
@click.option("--schema", type=click.Path(path_type=Path, dir_okay=False),
              help="RelaxNG schema (.rng) to validate against, instead of xml-model PIs.")
@click.option("--schematron", type=click.Path(path_type=Path, dir_okay=False),
              help="ISO Schematron file (.sch) to apply.")
@click.option("--tei-all", "tei_all", is_flag=True,
              help="Validate against the official TEI P5 tei_all schema (any project's TEI); "
              "--tei-all VERSION picks a release (see fetch-tei-all).")
@click.option("--tei-all-version", metavar="VERSION",
              help="The tei_all release to validate against; implies --tei-all.")
@click.option("--tei-all-schema", type=click.Path(path_type=Path, dir_okay=False),
              help="Where tei_all.rng is (default: configuration or an installed package).")
@click.option("--lang", default=None, metavar="TAG", callback=_lang_option,
              help="Language (BCP 47) of documents that declare none (default: lang under "
              "[tool.serge-tei], else undetermined).")
@click.option("--scheduler", envvar="SERGE_TEI_SCHEDULER", default=None, metavar="ADDRESS",
              help="A Dask scheduler (tcp://host:8786) whose workers do the work "
              "(pip install 'serge-tei[dask]'; default: $SERGE_TEI_SCHEDULER, else local "
              "processes).")
def build(edition: Path | None, out: Path | None, schema: Path | None,
          schematron: Path | None, tei_all: bool, tei_all_version: str | None,
          tei_all_schema: Path | None, lang: str | None, scheduler: str | None) -> None:
    """Validate the edition, then publish it as a static site.

    Writes the reading editions (HTML), plain texts, person and place indexes
    (HTML, JSON, CSV) and the home page. Invalid input publishes nothing and
    the previous output stays as it was. Any TEI can be published: give
    --tei-all or --schema when its documents name a schema of their own.

    \b
    Example:
      serge-tei build --out out/
      serge-tei build corpus/ --tei-all --out site/
    """
    from .build import Checks
    from .build import build as run_build
    from .errors import InvalidInput, UsageError

    config = _config([edition] if edition else [])
    edition = edition or config.edition
    if edition is None:
        raise UsageError("no edition given and none configured: pass the folder of TEI files, "
                         "or set edition = \"DIR\" under [tool.serge-tei]")
    target = out or (config.root or Path.cwd()) / "out"
    try:
        result = run_build(edition, target, config=config, scheduler=scheduler, lang=lang,
                           checks=Checks(schema=schema, schematron=schematron, tei_all=tei_all,
                                         tei_all_path=tei_all_schema,
                                         tei_all_version=tei_all_version))
    except InvalidInput as exc:
        for finding in exc.findings:
            click.echo(finding_line(finding), err=True)
        raise
    click.echo(f"built {len(result.documents)} documents, {len(result.files)} files "
               f"into {safe(str(result.out))} ({result.seconds:.2f} s; {result.search})")


@main.command("serve")
@click.argument("site", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free one).")
def serve_command(site: Path | None, port: int) -> None:
    """Serve a built site on 127.0.0.1, so that its search works; Ctrl-C stops it.

    \b
    Example:
      serge-tei serve out/
    """
    from .serve import serve

    config = _config([site] if site else [])
    target = site or (config.root or Path.cwd()) / "out"
    try:
        serve(target, port, ready=lambda url: click.echo(
            f"serving {safe(str(target))} at {url} (Ctrl-C stops)"))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--to", "to", type=click.Choice(["html", "text", "persons", "places"]),
              required=True, help="Output kind.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write here (atomically) instead of to standard output.")
@click.option("--lang", default=None, metavar="TAG", callback=_lang_option,
              help="Language (BCP 47) of a document that declares none (default: lang under "
              "[tool.serge-tei], else undetermined).")
def transform(file: Path, to: str, output: Path | None, lang: str | None) -> None:
    """Transform one TEI document to HTML, plain text or an index.

    The HTML page stands alone: its stylesheet is inlined and it links to no
    other page (`build` publishes a whole site).

    \b
    Example:
      serge-tei transform --to text tei/serge-diary-1936-1937.xml -o diary.txt
    """
    from .transform import transform as run_transform

    result = run_transform(file, to, config=_config([file]), lang=lang)
    if output is None:
        click.echo(result, nl=not result.endswith("\n"))
        return
    _write_atomic(output, result)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", help="Title of the edition (default: the folder's name).")
@click.option("--editor", help="Your name, as the responsible editor (default: git user.name).")
@click.option("--lang", default="en", show_default=True, help="Language of the texts (BCP 47).")
@click.option("--force", is_flag=True,
              help="Add the missing files to a non-empty folder (never overwrites).")
def init_command(directory: Path, title: str | None, editor: str | None, lang: str,
                 force: bool) -> None:
    """Start a new TEI project: template document, authority file, schema, CI.

    Creates tei/ (a document with a complete header and persons.xml), schema/
    (this version's schema, pinned), pyproject.toml, .pre-commit-config.yaml and
    .github/workflows/tei.yml. `serge-tei validate` accepts the result as is.

    \b
    Example:
      serge-tei init my-edition --title "Letters of 1937" --editor "Ada Lovelace"
    """
    from .init import init_project

    result = init_project(directory, title=title, editor=editor, lang=lang, force=force)
    for rel in result.written:
        click.echo(f"created {safe(str(result.root / rel))}")
    for rel in result.skipped:
        click.echo(f"kept {safe(str(result.root / rel))} (already there)")
    click.echo(f"next: cd {safe(str(result.root))} && serge-tei validate && serge-tei build")


@main.command("docs")
@click.argument("edition", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write here (atomically) instead of to standard output.")
def docs_command(edition: Path | None, output: Path | None) -> None:
    """Generate the encoder's manual (Markdown) from the schema and the edition.

    The element reference comes from the schema's documentation annotations;
    each example is a snippet of EDITION (default: the configured edition).

    \b
    Example:
      serge-tei docs -o docs/encoding.md
    """
    from .errors import UsageError
    from .manual import render_manual

    config = _config([edition] if edition else [])
    edition = edition or config.edition
    if edition is None or not edition.is_dir():
        raise UsageError("no edition to take examples from: pass its folder, or set "
                         "edition = \"DIR\" under [tool.serge-tei]")
    text = render_manual(edition, config.root)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_atomic(output, text)


@main.command("stats")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="A table for people, JSON for tools.")
def stats_command(paths: tuple[str, ...], fmt: str) -> None:
    """Count elements, names by type, distinct entities, notes and words per document.

    Counts are taken inside <text>; words leave out editorial additions
    (corr, reg, supplied). With no PATHS, the configured edition is counted.

    \b
    Example:
      serge-tei stats tei/serge-diary-1936-1937.xml --format json
    """
    from .inputs import default_targets
    from .stats import render_json as stats_json
    from .stats import render_table, stats

    config = _config(paths)
    docs = stats(paths or default_targets(config), config.limits)
    click.echo(stats_json(docs) if fmt == "json" else render_table(docs), nl=False)


def _write_atomic(path: Path, text: str) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); an output is read by others (0644 under
        # the usual umask), as a file made by open() would be.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["ExitCode", "main"]
