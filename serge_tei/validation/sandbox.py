"""Schematron chosen by the data, run in a sandbox process within a time and memory budget.

A pull request can add a document *and* the Schematron its ``<?xml-model?>``
names. Saxon is locked down everywhere (:mod:`serge_tei.saxon`: no file, no
network, no environment variable, no Java system property), but a rule can
still compute for hours or fill the memory, say ``count((1 to 2000000000)[. mod
7 = 100])``. Such rules therefore run in a process of their own, the sandbox:

* started with an empty environment, in ``/``, without core files; the kernel
  ends it when the process that started it dies (Linux), and it ends itself
  when its requests stop (end of input);
* its memory is capped (``RLIMIT_DATA``: Saxon's heap cannot grow past it) and
  each request, compiling a schema or checking a document, gets a CPU-time
  limit (``RLIMIT_CPU``: the kernel stops the process when it is spent); the
  caller's wall-clock limit is the backstop, and the only limit where the
  ``resource`` module is missing (Windows);
* one sandbox serves every document of the process that started it and keeps
  the stylesheets it compiled; after an overrun it is gone, and the next
  request starts another;
* when a document's rules run out, they run once more in a fresh sandbox with a
  trace of every rule and assertion (:func:`.schematron.traced`), and the last
  one that began is named in the error.

Requests and replies are a JSON header and raw bytes, never pickles: the caller
takes nothing from the sandbox but SVRL text, which it parses with the hardened
parser.

The edition's shipped Schematron, the rules in ``tei_all`` from an installed
package and schemas given on the command line are trusted: they run in the
calling process at full speed (:mod:`.engines` decides).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import math
import os
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ..config import RuleBudget
from ..errors import BudgetExceeded, ToolkitError
from ..reading import Document
from ..saxon import guard_long_text
from .schematron import SchematronRules, _compile_error, embedded_schema, load_schematron, traced

if sys.platform != "win32":  # on Windows the wall clock alone bounds the time
    import resource

#: header length, blob length
_FRAME = struct.Struct(">IQ")
#: the sandbox's first lines: take the caller's module path, then serve
_BOOT = (
    "import json, struct, sys\n"
    "size, = struct.unpack('>I', sys.stdin.buffer.read(4))\n"
    "sys.path[:] = json.loads(sys.stdin.buffer.read(size))\n"
    "from serge_tei.validation.sandbox import serve\n"
    "serve()\n"
)
#: the sandbox's environment: none at all (Windows cannot start a process without SYSTEMROOT)
_ENVIRONMENT = {k: os.environ[k] for k in ("SYSTEMROOT",) if k in os.environ} \
    if sys.platform == "win32" else {}
#: how long the caller waits beyond the CPU budget before it kills the sandbox itself
_WALL_FACTOR, _WALL_SLACK = 3, 30.0
#: how a sandbox out of memory says so (Java's error, or Python's)
_OUT_OF_MEMORY = ("OutOfMemoryError", "MemoryError")
_MIB = 1024 * 1024
#: Linux prctl(2): the signal the kernel sends when the parent dies
_PR_SET_PDEATHSIG = 1


class Overrun(Exception):
    """The sandbox ran out of *resource* (``time`` or ``memory``) and is gone."""

    def __init__(self, resource: str) -> None:
        super().__init__(resource)
        self.resource = resource


# ------------------------------------------------------------ frames

def _send(stream: IO[bytes], header: Mapping[str, Any], blob: bytes = b"") -> None:
    head = json.dumps(header).encode("utf-8")
    stream.write(_FRAME.pack(len(head), len(blob)) + head)
    stream.write(blob)
    stream.flush()


def _receive(stream: IO[bytes]) -> tuple[dict[str, Any], bytes] | None:
    """The next frame, or None at the end of input."""
    prefix = stream.read(_FRAME.size)
    if len(prefix) < _FRAME.size:
        return None
    head, size = _FRAME.unpack(prefix)
    header = json.loads(stream.read(head))
    return header, stream.read(size)


# ------------------------------------------------------------ inside the sandbox

def serve() -> None:
    """The sandbox: requests on standard input, replies on what was standard output."""
    replies = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # native code that prints must not corrupt the replies
    _confine_self()
    from ..saxon import Saxon  # after the environment is gone: the JVM copies it at start

    saxon = Saxon()
    compiled: dict[str, Any] = {}
    requests = sys.stdin.buffer
    while (got := _receive(requests)) is not None:
        header, blob = got
        _limit(header["seconds"], header["memory"])
        reply, data = _handle(saxon, compiled, header, blob)
        _unlimit()
        _send(replies, reply, data)
        if reply.get("memory"):
            os._exit(1)  # the heap may be in any state after that


def _confine_self() -> None:
    os.environ.clear()  # clears the C environment too
    os.chdir("/")
    if sys.platform != "win32":
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        import ctypes

        # without it, the end of input still ends the loop once the caller is gone
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the caller died before the kernel was told to tell us
        os._exit(1)


def _limit(seconds: float, memory: int) -> None:
    """CPU seconds from now, and MiB of data in all, for one request."""
    if sys.platform == "win32":
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    spent = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(spent + seconds), hard))
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    wanted = memory * _MIB
    resource.setrlimit(resource.RLIMIT_DATA,
                       (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def _unlimit() -> None:
    """No CPU limit while idle (the garbage collector may still run after a reply)."""
    if sys.platform != "win32":
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


def _handle(saxon: Any, compiled: dict[str, Any], header: dict[str, Any], blob: bytes
            ) -> tuple[dict[str, Any], bytes]:
    try:
        if header["op"] == "compile":
            compiled[header["key"]] = saxon.compile_text(blob, "schematron")
            return {"ok": True}, b""
        node = saxon.processor.parse_xml(xml_text=blob.decode("utf-8"))
        svrl = saxon.transform(compiled[header["key"]], node, header["params"],
                               label="schematron", quiet=not header.get("trace"))
        return {"ok": True}, svrl.encode("utf-8")
    except ToolkitError as exc:
        text = exc.message
    except Exception as exc:  # reported to the caller, who decides what it means
        text = f"{type(exc).__name__}: {exc}"
    return {"error": text, "memory": any(k in text for k in _OUT_OF_MEMORY)}, b""


# ------------------------------------------------------------ in the caller

class Sandbox:
    """One sandbox process, and the stylesheets it has compiled."""

    def __init__(self, *, trace: bool = False) -> None:
        self.compiled: set[str] = set()
        self.last_trace = ""
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if trace else subprocess.DEVNULL, env=_ENVIRONMENT,
            cwd=os.path.abspath(os.sep), close_fds=True)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in, self._out = self._proc.stdin, self._proc.stdout
        self._tracer: threading.Thread | None = None
        if trace:
            self._tracer = threading.Thread(target=self._follow_trace, daemon=True,
                                            name="serge-tei-sandbox-trace")
            self._tracer.start()
        path = json.dumps(sys.path).encode("utf-8")
        self._in.write(struct.pack(">I", len(path)) + path)
        self._in.flush()
        self.owner = os.getpid()

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def request(self, header: dict[str, Any], blob: bytes, budget: RuleBudget
                ) -> tuple[dict[str, Any], bytes]:
        """Send one request within *budget*; :class:`Overrun` if the sandbox ran out."""
        try:
            _send(self._in, {**header, "seconds": budget.seconds, "memory": budget.memory},
                  blob)
            got = self._reply(time.monotonic() + budget.seconds * _WALL_FACTOR + _WALL_SLACK)
        except (BrokenPipeError, ConnectionError):
            got = None
        if got is None:
            raise Overrun(self._what_stopped_it())
        if got[0].get("memory"):
            self.close()
            raise Overrun("memory")
        return got

    def _reply(self, deadline: float) -> tuple[dict[str, Any], bytes] | None:
        """The reply, or None if the sandbox died or *deadline* passed (then it is killed)."""
        if sys.platform == "win32":  # no select() on pipes there: a thread waits instead
            return self._reply_by_thread(deadline)
        with selectors.DefaultSelector() as waiting:
            waiting.register(self._out.fileno(), selectors.EVENT_READ)
            prefix = self._read(waiting, _FRAME.size, deadline)
            if prefix is None:
                return None
            head, size = _FRAME.unpack(prefix)
            rest = self._read(waiting, head + size, deadline)
        if rest is None:
            return None
        return json.loads(rest[:head]), rest[head:]

    def _reply_by_thread(self, deadline: float) -> tuple[dict[str, Any], bytes] | None:
        got: list[tuple[dict[str, Any], bytes] | None] = [None]

        def receive() -> None:
            got[0] = _receive(self._out)

        waiter = threading.Thread(target=receive, daemon=True)
        waiter.start()
        waiter.join(max(0.0, deadline - time.monotonic()))
        if waiter.is_alive():
            self._proc.kill()
            return None
        return got[0]

    def _read(self, waiting: selectors.BaseSelector, count: int, deadline: float
              ) -> bytes | None:
        chunks = bytearray()
        while len(chunks) < count:
            if not waiting.select(max(0.0, deadline - time.monotonic())):
                self._proc.kill()
                return None
            data = os.read(self._out.fileno(), min(count - len(chunks), 1 << 20))
            if not data:
                return None
            chunks += data
        return bytes(chunks)

    def _what_stopped_it(self) -> str:
        code = self._proc.wait()
        return "time" if code in (-signal.SIGKILL, -getattr(signal, "SIGXCPU", 24)) else "memory"

    def _follow_trace(self) -> None:
        """Keep the last trace line that marks a rule or an assertion (Saxon's ``trace()``)."""
        stream = self._proc.stderr
        assert stream is not None
        while line := stream.readline(4096):
            if line.startswith(b"sst-"):
                self.last_trace = line.split(b":", 1)[0].decode("ascii", "replace")

    def close(self) -> None:
        for stream in (self._in, self._out):
            with contextlib.suppress(OSError):
                stream.close()
        if self._proc.poll() is None:
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._tracer is not None:
            self._tracer.join(timeout=5)
        if self._proc.stderr is not None:
            self._proc.stderr.close()


_SANDBOX: Sandbox | None = None


def sandbox() -> Sandbox:
    """This process's sandbox, started when first needed and again after an overrun.

    A forked pool worker starts its own: the pipes of its parent's are not its own.
    """
    global _SANDBOX
    if _SANDBOX is None or _SANDBOX.owner != os.getpid() or not _SANDBOX.alive:
        if _SANDBOX is not None and _SANDBOX.owner == os.getpid():
            _SANDBOX.close()
        _SANDBOX = Sandbox()
    return _SANDBOX


atexit.register(lambda: close_sandbox())


def close_sandbox() -> None:
    """End this process's sandbox (it would end with the process anyway)."""
    global _SANDBOX
    if _SANDBOX is not None and _SANDBOX.owner == os.getpid():
        _SANDBOX.close()
    _SANDBOX = None


# ------------------------------------------------------------ the rules

class SandboxedSchematron(SchematronRules):
    """Schematron that the data chose: transpiled here, compiled and run in the sandbox."""

    def __init__(self, schema_tree: etree._ElementTree | etree._Element, *, budget: RuleBudget,
                 phase: str | None = None, label: str = "") -> None:
        self.label = label or "schematron"
        self.budget = budget
        self._schema, self._phase = schema_tree, phase
        self._generate(schema_tree, phase)
        self.key = hashlib.sha256(self.xslt.encode("utf-8")).hexdigest()
        try:  # a schema that does not compile is an error now, as for trusted ones
            self._compile(sandbox())
        except Overrun as over:
            raise BudgetExceeded(f"{self.label}: compiling the Schematron ran out of "
                                 f"{self._limit(over)}", path=self.label) from None

    @classmethod
    def from_file(cls, path: Path, *, root: Path, budget: RuleBudget) -> SandboxedSchematron:
        return cls(load_schematron(path, root), budget=budget, label=str(path))

    @classmethod
    def from_rng(cls, rng: Path, *, root: Path, budget: RuleBudget
                 ) -> SandboxedSchematron | None:
        schema = embedded_schema(rng, root)
        return None if schema is None else cls(schema, budget=budget, label=str(rng))

    def _compile(self, box: Sandbox) -> None:
        reply, _ = box.request({"op": "compile", "key": self.key}, self.xslt.encode("utf-8"),
                               self.budget)
        if "error" in reply:
            raise _compile_error(self.xslt, reply["error"], self.label)
        box.compiled.add(self.key)

    def _svrl(self, doc: Document, params: Mapping[str, str | int | bool]) -> str:
        text = etree.tostring(guard_long_text(doc.tree), encoding="unicode").encode("utf-8")
        try:
            box = sandbox()
            if self.key not in box.compiled:
                self._compile(box)
            reply, svrl = box.request({"op": "run", "key": self.key, "params": dict(params)},
                                      text, self.budget)
        except Overrun as over:
            raise self._ran_out(doc, text, dict(params), over) from None
        if "error" in reply:
            raise self._failed(doc, reply["error"])
        return svrl.decode("utf-8")

    def _limit(self, over: Overrun) -> str:
        if over.resource == "time":
            unit = "second" if self.budget.seconds == 1 else "seconds"
            return (f"the time budget of {self.budget.seconds} CPU {unit} per document "
                    "(rule-seconds under [tool.serge-tei])")
        return (f"the memory budget of {self.budget.memory} MiB (rule-memory under "
                "[tool.serge-tei])")

    def _ran_out(self, doc: Document, text: bytes, params: dict[str, Any], over: Overrun
                 ) -> BudgetExceeded:
        culprit = self._culprit(text, params) or "the Schematron rules"
        return BudgetExceeded(
            f"{self.label}: {culprit} ran out of {self._limit(over)}, and the rules were "
            "stopped on this document; raise the budget only if the schema is trusted",
            path=doc.path)

    def _culprit(self, text: bytes, params: dict[str, Any]) -> str:
        """What was running when the rules ran out: the same run again, traced, in a new
        sandbox; the last rule or assertion that began (empty if it did not run out again)."""
        xslt, described = traced(self._schema, self._phase)
        probe = Sandbox(trace=True)
        try:
            key = hashlib.sha256(xslt.encode("utf-8")).hexdigest()
            reply, _ = probe.request({"op": "compile", "key": key}, xslt.encode("utf-8"),
                                     self.budget)
            if "error" in reply:
                return ""
            probe.request({"op": "run", "key": key, "params": params, "trace": True}, text,
                          self.budget)
            return ""
        except Overrun:
            probe.close()  # and the trace read to its end
            return _described(probe.last_trace, described)
        finally:
            probe.close()


def _described(marker: str, described: list[str]) -> str:
    """``sst-in 3`` as the schema element it stands for."""
    kind, _, number = marker.partition(" ")
    if not number.isdigit() or int(number) >= len(described):
        return ""
    what = described[int(number)]
    if kind == "sst-out":  # between assertions: matching the next rule's context
        return f"a rule context or let evaluated after {what}"
    return what
