"""Publishing transforms: TEI documents to HTML, plain text, indexes (JSON, CSV).

The shipped stylesheets are compiled once per process (:func:`publisher`) and
applied to every document. Documents reach Saxon already parsed by the hardened
reader; the authority files (persons, places, ...) reach the stylesheets as one
parameter node, a ``teiCorpus`` built here, because Saxon may not open files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from .config import Config
from .errors import DocumentRejected, InputError, UsageError
from .reading import TEI_NS, XML_NS, Document, Limits, read_document
from .resources import stylesheet, xslt_dir
from .saxon import ParamValue, Saxon, give_back_memory

#: Compiled stylesheet name -> file under xslt/.
STYLESHEETS: dict[str, str] = {
    "html": "html.xsl",
    "text": "text.xsl",
    "home": "home.xsl",
    "about": "about.xsl",
    "search": "search.xsl",
    "persons": "persons.xsl",
    "places": "places.xsl",
    "orgs": "orgs.xsl",
    "works": "works.xsl",
    "persons-json": "persons-json.xsl",
    "persons-csv": "persons-csv.xsl",
    "places-json": "places-json.xsl",
    "places-csv": "places-csv.xsl",
    "mentions": "mentions.xsl",
    "tips": "tips.xsl",
    "index-model": "index-model.xsl",
}

#: What ``serge-tei transform --to`` offers for one document.
TARGETS: tuple[str, ...] = ("html", "text", "persons", "places")

_AUTHORITY_LISTS = ("listPerson", "listPlace", "listOrg", "listBibl")
_REF_FILE = re.compile(r"^([A-Za-z0-9_.\-]+\.xml)#")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.\-]")


def _tei(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


@dataclass(frozen=True)
class Source:
    """One edition document and the id that names its outputs (``<docid>.html``)."""

    docid: str
    document: Document


class Publisher:
    """The shipped stylesheets, compiled once, and the means to apply them."""

    def __init__(self, names: Iterable[str] | None = None) -> None:
        chosen = STYLESHEETS if names is None else {n: STYLESHEETS[n] for n in names}
        self.saxon = Saxon({name: stylesheet(file) for name, file in chosen.items()})

    def render(self, name: str, tree: etree._ElementTree | etree._Element,
               params: Mapping[str, ParamValue | Any] | None = None, *, label: str = "") -> str:
        """Apply stylesheet *name* to an lxml tree that the hardened reader accepted."""
        return self.saxon.transform(name, self.saxon.node(tree), params, label=label or name)

    def authority_param(self, authority: list[Document], *, tips: bool = True
                        ) -> dict[str, Any]:
        """The ``authority`` and ``tips`` parameters for a set of authority documents.

        ``tips`` holds every entry's tooltip (``tips.xsl``), computed here once
        rather than for each mention on each page: worth it for more than one
        page; without it each page computes the tooltips it shows. No documents:
        no parameters.
        """
        if not authority:
            return {}
        corpus = self.saxon.node(authority_corpus(authority))
        if not tips:
            return {"authority": corpus}
        table = self.saxon.transform("tips", corpus, label="authority files: tooltips")
        return {"authority": corpus, "tips": self.saxon.processor.parse_xml(xml_text=table)}


@functools.cache
def publisher(names: tuple[str, ...] | None = None) -> Publisher:
    """A publisher with stylesheets *names* (default: all), compiled once per process.

    A one-document transform asks for the one stylesheet it applies: compiling
    all fourteen would triple the start-up of ``serge-tei transform``.
    """
    return Publisher(names)


# ----- documents -------------------------------------------------------------

def is_authority(doc: Document) -> bool:
    """An authority file: its body holds listPerson/listPlace/listOrg/listBibl and no p."""
    body = doc.root.find(f"{_tei('text')}/{_tei('body')}")
    if body is None:
        return False
    has_list = any(body.find(f".//{_tei(name)}") is not None for name in _AUTHORITY_LISTS)
    return has_list and body.find(f".//{_tei('p')}") is None


def docid(doc: Document, path: Path) -> str:
    """The id naming a document's outputs: the root's xml:id, else the file stem, made safe.

    A ``.xml`` that some projects leave at the end of the xml:id is dropped
    (``entry__1905-02-07.xml`` names ``entry__1905-02-07.html``), as
    ``st:safe-docid`` does in the stylesheets.
    """
    raw = re.sub(r"\.xml$", "", doc.root.get(f"{{{XML_NS}}}id") or "", flags=re.I) or path.stem
    safe = _SAFE_ID.sub("-", raw).lstrip(".-")
    if not safe:
        return "document"
    return safe if re.match(r"[A-Za-z_]", safe) else f"d-{safe}"


def authority_corpus(authority: Iterable[Document]) -> etree._Element:
    """The authority files combined under one ``teiCorpus`` (copies; sources untouched)."""
    corpus = etree.Element(_tei("teiCorpus"), nsmap={None: TEI_NS})
    for doc in authority:
        corpus.append(_copy(doc.root))
    return corpus


def edition_corpus(sources: Iterable[Source]) -> etree._Element:
    """Edition documents under one ``teiCorpus``, each TEI carrying its docid as xml:id."""
    corpus = etree.Element(_tei("teiCorpus"), nsmap={None: TEI_NS})
    for source in sources:
        root = _copy(source.document.root)
        root.set(f"{{{XML_NS}}}id", source.docid)
        corpus.append(root)
    return corpus


def _copy(root: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(root))


def sibling_authority(doc: Document, path: Path, limits: Limits | None = None
                      ) -> list[Document]:
    """Authority files that *doc* points to (``persons.xml#id``) and that sit beside it.

    Only plain file names in the document's own folder are followed, and each is
    read through the hardened reader; a missing or unusable file (a name too long
    for the file system, say) is skipped, so its names are rendered unlinked.
    """
    names: set[str] = set()
    for el in doc.root.iter(tag=etree.Element):
        ref = el.get("ref")
        if ref:
            names.update(m.group(1) for token in ref.split() if (m := _REF_FILE.match(token)))
    found = []
    for name in sorted(names):
        candidate = path.parent / name
        try:
            if candidate.resolve() == path.resolve() or not candidate.is_file():
                continue
            other = read_document(candidate, limits or Limits())
        except (OSError, InputError, DocumentRejected):
            continue  # its names stay unlinked; validate reports the file itself
        if is_authority(other):
            found.append(other)
    return found


# ----- one document ------------------------------------------------------------

def transform(path: str | Path, to: str, *, config: Config | None = None,
              lang: str | None = None, site: bool = False) -> str:
    """Transform one TEI file to ``html``, ``text``, ``persons`` or ``places``.

    The page stands alone: its CSS is inlined, and it links to no page that a
    transform does not write (no site navigation, no index pages, no downloads).
    Authority files named in the document's ``@ref`` values are read from the
    document's folder when present. *lang* is the language of a document that
    declares none (BCP 47; default: the configuration's ``lang``, else undetermined).
    *site* True renders the page as ``build`` does, for a site around it (index
    links, downloads, site navigation, ``edition.css`` and ``edition.js`` linked).
    Raises :class:`UsageError` for an unknown target and the reader's errors for
    an unusable file. *config* is the project's configuration (reader limits);
    without one, the defaults apply.
    """
    if to not in TARGETS:
        raise UsageError(f"unknown output {to!r}; choose one of {', '.join(TARGETS)}")
    path = Path(path)
    config = config or Config()
    limits = config.limits
    doc = read_document(path, limits, root=config.root)  # root: XIncludes' bound
    pub = publisher((to,))
    source = Source(docid(doc, path), doc)
    params: dict[str, Any] = {"docid": source.docid, "site": site}
    lang = lang or config.lang
    if lang:
        params["default-lang"] = lang
    if to == "html" and not site:  # no edition.js either: tips show through the CSS alone
        params["css"] = (xslt_dir() / "edition.css").read_text(encoding="utf-8")
        params["js-href"] = ""
    # one page: its own tooltips cost less than all of the registers' (tips.xsl)
    params.update(pub.authority_param(sibling_authority(doc, path, limits),
                                       tips=False))
    if to in ("persons", "places"):
        return pub.render(to, edition_corpus([source]), params, label=f"{path}: {to}")
    node = pub.saxon.node(doc.tree)
    del source, doc  # Saxon's tree is all the stylesheet needs: a large one is not held twice
    give_back_memory()
    return pub.saxon.transform(to, node, params, label=f"{path}: {to}")
