"""One hardened Saxon processor per process.

Saxon never parses a user's file by name: documents reach it as text that lxml
has already accepted (no DOCTYPE, no entities). The processor is locked down so
that nothing driven by data can reach the file system or the network:

* the XML parser refuses any DOCTYPE (Xerces ``disallow-doctype-decl``);
* ``allowedProtocols`` is emptied once the shipped stylesheets are compiled, so
  ``doc()``, ``unparsed-text()``, ``collection()`` and friends fail closed;
* external functions are off (``allow-external-functions``): ``environment-variable()``
  and ``available-environment-variables()`` see no variable and ``system-property()``
  no Java property, even through ``function-lookup()`` or ``fn:transform()``; only the
  ``xsl:`` properties (vendor, version) answer;
* ``xsl:result-document`` is refused when a stylesheet compiles (with external
  functions off), and its output would be captured, never written, in any case;
* the JDK parser's depth and name-length limits are raised to libxml2's, so
  Saxon never refuses (with a less helpful message) a tree the reader accepted.

SaxonC 13.1 mishandles a text node exactly k × 65,536 characters long that
follows other text: string operations over it fail, and reading its string
value from Python aborts the process. :meth:`Saxon.node` lengthens such text
nodes by one white-space character, or splits them with a comment when they have
none (see :func:`guard_long_text`); every word is kept.

Saxon accepts a misspelled feature URI silently, so :func:`self_check` proves
at start-up that a document with an external entity is really refused, and that
a stylesheet sees neither the environment nor Java's system properties.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import ToolkitError

_FEATURE = "http://saxon.sf.net/feature/"
DISALLOW_DOCTYPE = (
    _FEATURE + "parserFeature?uri=http%3A//apache.org/xml/features/disallow-doctype-decl"
)
ALLOWED_PROTOCOLS = _FEATURE + "allowedProtocols"
ALLOW_EXTERNAL_FUNCTIONS = _FEATURE + "allow-external-functions"
_JDK = _FEATURE + "parserProperty?uri=jdk.xml."
#: libxml2 (without huge mode) nests at most 256 deep; a teiCorpus wrapper adds one.
PARSER_LIMITS = {_JDK + "maxElementDepth": "1000", _JDK + "maxXMLNameLimit": "50000"}

#: SaxonC 13.1's defective text-node length unit (see :func:`guard_long_text`).
SAXON_TEXT_CHUNK = 65536
#: the comment that splits a text node; comments are not part of any string value
SPLIT_COMMENT = "serge-tei: split (SaxonC 64 Ki text defect)"
#: how SaxonC 13.1 reports the defect: "Index 2 out of bounds for length 2"
_DEFECT = re.compile(r"Index (\d+) out of bounds for length \1\b")
DEFECT_MESSAGE = (
    "Saxon failed on a run of text exactly a multiple of 65,536 characters long (a known "
    "SaxonC 13.1 defect); add a space or a line break somewhere in that long passage")

#: A document that must never parse: an external entity pointing at a local file.
_PROBE = '<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/hostname">]><p>&e;</p>'
#: A stylesheet that must see nothing of the process: Java always sets user.home and
#: user.dir, and a process has environment variables (the Schematron sandbox has none:
#: there the system properties prove the setting took effect).
_LEAK_PROBE = (
    '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:template match="/"><r><xsl:value-of select="system-property(\'user.home\'), '
    "system-property('user.dir'), available-environment-variables(), "
    "environment-variable('PATH')\"/></r></xsl:template></xsl:stylesheet>")

ParamValue = str | int | float | bool | Path


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence native writes to fd 2 (Saxon reports errors there as well as raising).

    File descriptor 2 itself, not ``sys.stderr``: under click's test runner or
    any other replacement of ``sys.stderr``, Saxon still writes to fd 2.
    """
    fd = 2
    try:
        os.fstat(fd)
    except OSError:  # no fd 2 at all: nothing to silence
        yield
        return
    with suppress(Exception):
        sys.stderr.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


class Saxon:
    """A locked-down Saxon processor with the stylesheets a command needs, compiled once."""

    def __init__(self, stylesheets: Mapping[str, Path] | None = None) -> None:
        from saxonche import PySaxonProcessor  # imported late: start-up cost for validate

        self._proc = PySaxonProcessor(license=False)
        self._proc.set_configuration_property(DISALLOW_DOCTYPE, "true")
        self._proc.set_configuration_property(ALLOW_EXTERNAL_FUNCTIONS, "false")
        for key, value in PARSER_LIMITS.items():
            self._proc.set_configuration_property(key, value)
        self._compiler = self._proc.new_xslt30_processor()
        self._executables: dict[str, Any] = {}
        for name, path in (stylesheets or {}).items():
            self._executables[name] = self._compile_file(path)
        # From here on no URI can be opened, not even by our own stylesheets.
        self._proc.set_configuration_property(ALLOWED_PROTOCOLS, "")
        self.self_check()

    @property
    def processor(self) -> Any:
        return self._proc

    @property
    def version(self) -> str:
        return str(self._proc.version)

    def self_check(self) -> None:
        """Fail loudly if the hardening did not take effect."""
        self._check_doctype_refused()
        self._check_nothing_leaks()

    def _check_doctype_refused(self) -> None:
        try:
            with quiet_stderr():  # Saxon prints the (expected) refusal on fd 2
                self._proc.parse_xml(xml_text=_PROBE)
        except Exception as exc:
            # Refused for the right reason: not because the file is missing, nor only by
            # allowedProtocols (a second line of defence that must not hide the first).
            if "DOCTYPE" in str(exc):
                return
            raise ToolkitError(f"Saxon did not refuse a DOCTYPE (it failed with: {exc}); the "
                               "parser hardening did not take effect (unsupported saxonche "
                               "version?)") from exc
        raise ToolkitError(
            "Saxon accepted a document with an external entity: the parser hardening "
            "did not take effect (unsupported saxonche version?)"
        )

    def _check_nothing_leaks(self) -> None:
        probe = self.compile_text(_LEAK_PROBE, "self-check")
        seen = self.transform(probe, self._proc.parse_xml(xml_text="<p/>"), label="self-check")
        leaked = etree.fromstring(seen.encode("utf-8")).text
        if leaked and leaked.strip():
            raise ToolkitError("a stylesheet could read Java system properties or environment "
                               "variables: the Saxon hardening did not take effect "
                               "(unsupported saxonche version?)")

    def _compile_file(self, path: Path) -> Any:
        try:
            return self._compiler.compile_stylesheet(stylesheet_file=str(path))
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise ToolkitError(f"stylesheet {path} did not compile: {exc}") from exc

    def compile_text(self, xslt: str | bytes, label: str) -> Any:
        """Compile a stylesheet given as text (it may not import files: all URIs are closed)."""
        text = xslt.decode("utf-8") if isinstance(xslt, bytes) else xslt
        try:
            return self._proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=text)
        except Exception as exc:
            raise ToolkitError(f"{label}: generated stylesheet did not compile: {exc}") from exc

    def executable(self, name: str) -> Any:
        try:
            return self._executables[name]
        except KeyError:
            raise ToolkitError(f"stylesheet {name!r} was not compiled for this command") from None

    def node(self, tree: etree._ElementTree | etree._Element, base_uri: str | None = None) -> Any:
        """Hand an lxml tree (already accepted by the hardened reader) to Saxon."""
        text = etree.tostring(guard_long_text(tree), encoding="unicode")
        try:
            if base_uri:
                return self._proc.parse_xml(xml_text=text, base_uri=base_uri)
            return self._proc.parse_xml(xml_text=text)
        except Exception as exc:
            raise ToolkitError(f"Saxon could not take over a parsed document: {exc}") from exc

    def value(self, value: ParamValue | Any) -> Any:
        """The one converter from Python values to typed XDM values for xsl:param.

        Saxon nodes (from :meth:`node`) pass through unchanged.
        """
        proc = self._proc
        if isinstance(value, bool):
            return proc.make_boolean_value(value)
        if isinstance(value, int):
            return proc.make_integer_value(value)
        if isinstance(value, float):
            return proc.make_double_value(value)
        if isinstance(value, (str, Path)):
            return proc.make_string_value(str(value))
        return value

    def transform(self, name_or_exe: Any, node: Any, params: Mapping[str, Any] | None = None,
                  *, label: str = "", quiet: bool = True) -> str:
        """Apply a compiled stylesheet to a Saxon node; params are converted by :meth:`value`.

        *quiet* False leaves Saxon's standard error alone (its ``trace()`` output: the
        Schematron sandbox follows it).
        """
        exe = self.executable(name_or_exe) if isinstance(name_or_exe, str) else name_or_exe
        exe.clear_parameters()
        # xsl:message output is kept (never printed) and quoted if the transform fails:
        # a terminating message says why; cleared first, so it never piles up.
        exe.set_save_xsl_message(True)
        exe.clear_xsl_messages()
        exe.set_capture_result_documents(True)  # xsl:result-document never writes a file
        for key, val in (params or {}).items():
            exe.set_parameter(key, self.value(val))
        try:
            with quiet_stderr() if quiet else contextlib.nullcontext():
                result = exe.transform_to_string(xdm_node=node)
        except Exception as exc:
            if _DEFECT.search(str(exc)):
                raise ToolkitError(f"{label or 'transform'}: {DEFECT_MESSAGE}") from exc
            raise ToolkitError(f"{label or 'transform'}: {exc}{_said(exe)}") from exc
        if result is None:
            raise ToolkitError(f"{label or 'transform'}: Saxon returned no result")
        return str(result)



def _said(exe: Any) -> str:
    """The last xsl:message of a failed transform (a terminating one says why), or ""."""
    with suppress(Exception):
        messages = exe.get_xsl_messages()
        if messages is not None and messages.size:
            last = messages.item_at(messages.size - 1)
            return f" (the stylesheet said: {' '.join(str(last).split())})"
    return ""


_TEXT_LENGTH = etree.XPath("string-length(.)")
_HAS_DEFECTIVE = etree.XPath(
    f"boolean(descendant-or-self::*/text()[string-length() mod {SAXON_TEXT_CHUNK} = 0])")


def _defective(text: str | None) -> bool:
    return bool(text) and len(text) % SAXON_TEXT_CHUNK == 0  # type: ignore[arg-type]


def _lengthen(text: str) -> str | None:
    """*text* one white-space character longer (the last one doubled), or None if it has none.

    Every reader of the edition's outputs collapses white space (HTML does,
    ``text.xsl`` normalizes it), so the words and what is shown stay the same.
    """
    for i in range(len(text) - 1, -1, -1):
        if text[i] in " \t\n\r":
            return text[:i] + text[i] + text[i:]
    return None


def guard_long_text(tree: etree._ElementTree | etree._Element
                    ) -> etree._ElementTree | etree._Element:
    """*tree*, or a copy in which no text node is a multiple of 65,536 characters long.

    Works around a SaxonC 13.1 defect: a text node of exactly k × 65,536
    characters after other text breaks string functions, and reading its string
    value from Python aborts the process. The HTML serializer fails the same
    way when such a node is built in a temporary tree (``html.xsl`` builds the
    page body in one). Each such text node gets one white-space character more
    (the last one doubled), which HTML and the text output collapse, so every
    word is kept and what a reader sees is unchanged. A run without any white
    space is split by an empty comment instead: that keeps the source tree
    safe, though an output that rebuilds the run in one piece still fails, with
    :data:`DEFECT_MESSAGE`. The caller's tree is never changed.
    ``tests/test_hostile.py`` notices when a Saxon release fixes the defect.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    # No text node can be longer than all the text together (measured in C): most
    # documents are shorter than one chunk and need no walk at all.
    if _TEXT_LENGTH(root) < SAXON_TEXT_CHUNK:
        return tree
    # libxml2 merges adjacent text and CDATA, so its text nodes are lxml's .text/.tail.
    if not _HAS_DEFECTIVE(root):
        return tree
    guarded = copy.deepcopy(tree)  # the prolog's PIs and comments come along
    top = guarded.getroot() if isinstance(guarded, etree._ElementTree) else guarded
    for el in list(top.iter()):
        if isinstance(el.tag, str) and _defective(el.text):
            longer = _lengthen(el.text)  # type: ignore[arg-type]
            if longer is not None:
                el.text = longer
            else:
                el.text, rest = el.text[:-1], el.text[-1]  # type: ignore[index]
                el.insert(0, _split_marker(rest))
        if el.getparent() is not None and _defective(el.tail):
            longer = _lengthen(el.tail)  # type: ignore[arg-type]
            if longer is not None:
                el.tail = longer
            else:
                el.tail, rest = el.tail[:-1], el.tail[-1]  # type: ignore[index]
                el.addnext(_split_marker(rest))
    return guarded


def give_back_memory() -> None:
    """Return the C heap's free pages to the system (glibc; elsewhere nothing happens).

    Memory that lxml frees stays with the C allocator, which Saxon's own heap
    cannot use: after letting go of a large lxml tree, its pages are given back
    before Saxon needs as much again.
    """
    import ctypes

    with suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _split_marker(tail: str) -> etree._Comment:
    marker = etree.Comment(SPLIT_COMMENT)
    marker.tail = tail
    return marker
