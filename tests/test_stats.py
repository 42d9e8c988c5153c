"""``serge-tei stats``: counts per document, as a table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.errors import InputError
from serge_tei.stats import stats

ROOT = Path(__file__).resolve().parent.parent

# Counted by hand: 4 persName mentions of 3 persons (one by "#" inside this file),
# 1 placeName, 1 date, 1 note; the header is not counted.
SAMPLE = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="sample">
  <teiHeader><fileDesc><titleStmt><title>Header words and
    <persName ref="persons.xml#nobody">Nobody</persName> are not counted</title></titleStmt>
  </fileDesc></teiHeader>
  <text>
    <body>
      <div type="entry">
        <p><persName ref="persons.xml#gide">Gide</persName> met
          <persName ref="persons.xml#gide">André Gide</persName> in
          <placeName ref="places.xml#paris">Paris</placeName> on
          <date when="1936-11-20">20 November</date>.<note n="1" type="translator">A note's
          words count.</note></p>
        <p><persName ref="persons.xml#serge">Serge</persName> and
          <persName ref="#local">someone</persName> read
          <choice><sic>Anti-fasciste</sic><corr resp="#ed">Anti-fascistes</corr></choice>
          in the midst <supplied reason="omitted" resp="#ed">of</supplied> it.</p>
      </div>
    </body>
  </text>
</TEI>
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.xml"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_counts_of_one_document(sample: Path) -> None:
    (doc,) = stats([str(sample)])
    data = doc.as_dict()
    assert data["id"] == "sample" and data["authority"] is False
    assert data["names"] == {"persName": 4, "placeName": 1, "orgName": 0, "rs": 0,
                             "name": 0, "title": 0, "date": 1}
    assert data["entities"] == {"total": 4, "persName": 3, "placeName": 1, "orgName": 0,
                                "rs": 0, "name": 0, "title": 0, "date": 0}
    assert data["notes"] == 1
    # Gide met André Gide in Paris on 20 November (9) + A note's words count (4)
    # + Serge and someone read Anti-fasciste in the midst it (9); corr and supplied left out
    assert data["words"] == 9 + 4 + 9
    assert data["elementCounts"]["p"] == 2 and data["elementCounts"]["sic"] == 1
    assert data["elements"] == sum(data["elementCounts"].values())


def test_json_output_and_totals(sample: Path) -> None:
    result = CliRunner().invoke(main, ["stats", str(sample), str(sample), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == 1
    assert [d["path"] for d in data["documents"]] == [str(sample)]  # the same file once
    assert data["total"] == {"documents": 1, "elements": data["documents"][0]["elements"],
                             "names": 6, "entities": 4, "notes": 1, "words": 22, "entries": 0}


def test_entities_are_distinct_across_documents(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text(SAMPLE.replace('xml:id="sample"', 'xml:id="other"'), encoding="utf-8")
    data = json.loads(CliRunner().invoke(main, ["stats", str(tmp_path), "-f", "json"]).output)
    # persons.xml#gide, #serge, places.xml#paris once; "#local" is one per file
    assert data["total"]["entities"] == 3 + 2
    assert data["total"]["names"] == 12


def test_table_on_the_edition_lists_every_file_and_a_total(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["document", "words", "elements", "persName"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert set(rows) == {f"tei/{p.name}" for p in (ROOT / "tei").glob("*.xml")} | {"total"}
    persons = rows["tei/persons.xml"]
    assert int(persons[-1]) > 100  # entries of the person authority file
    words = lines[0].split().index("words")
    assert int(rows["total"][words]) == sum(int(r[words]) for k, r in rows.items()
                                            if k != "total")


def test_unusable_input_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI", encoding="utf-8")
    with pytest.raises(InputError):
        stats([str(bad)])
    result = CliRunner().invoke(main, ["stats", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{bad}:1:")
    assert ": error: " in result.output and "Traceback" not in result.output
