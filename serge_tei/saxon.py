"""One hardened Saxon processor per process.

Saxon never parses a user's file by name: documents reach it as text that lxml
has already accepted (no DOCTYPE, no entities). The processor is locked down so
that nothing driven by data can reach the file system or the network:

* the XML parser refuses any DOCTYPE (Xerces ``disallow-doctype-decl``);
* ``allowedProtocols`` is emptied once the shipped stylesheets are compiled, so
  ``doc()``, ``unparsed-text()``, ``collection()`` and friends fail closed.

Saxon accepts a misspelled feature URI silently, so :func:`self_check` proves
at start-up that a document with an external entity is really refused.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import ToolkitError

_FEATURE = "http://saxon.sf.net/feature/"
DISALLOW_DOCTYPE = (
    _FEATURE + "parserFeature?uri=http%3A//apache.org/xml/features/disallow-doctype-decl"
)
ALLOWED_PROTOCOLS = _FEATURE + "allowedProtocols"

#: A document that must never parse: an external entity pointing at a local file.
_PROBE = '<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/hostname">]><p>&e;</p>'

ParamValue = str | int | float | bool | Path


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence native writes to fd 2 (Saxon reports errors there as well as raising)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, ValueError, OSError):  # pytest capture, no real fd
        yield
        return
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
        try:
            with quiet_stderr():  # Saxon prints the (expected) refusal on fd 2
                self._proc.parse_xml(xml_text=_PROBE)
        except Exception:
            return
        raise ToolkitError(
            "Saxon accepted a document with an external entity: the parser hardening "
            "did not take effect (unsupported saxonche version?)"
        )

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
        text = etree.tostring(tree, encoding="unicode")
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
                  *, label: str = "") -> str:
        """Apply a compiled stylesheet to a Saxon node; params are converted by :meth:`value`."""
        exe = self.executable(name_or_exe) if isinstance(name_or_exe, str) else name_or_exe
        exe.clear_parameters()
        exe.set_save_xsl_message(True)
        exe.set_capture_result_documents(True)  # xsl:result-document never writes a file
        for key, val in (params or {}).items():
            exe.set_parameter(key, self.value(val))
        try:
            with quiet_stderr():
                result = exe.transform_to_string(xdm_node=node)
        except Exception as exc:
            raise ToolkitError(f"{label or 'transform'}: {exc}") from exc
        if result is None:
            raise ToolkitError(f"{label or 'transform'}: Saxon returned no result")
        return str(result)

