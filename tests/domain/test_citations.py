"""Citations in four formats, read back by real parsers: bibtexparser (with pylatexenc), rispy, and
citeproc-py with the CSL schema it ships; hostile titles and sources included."""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import bibtexparser
import citeproc
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation as CiteprocCitation
from citeproc import (
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from app.domain.citations import (
    CITATION_FORMATS,
    Citation,
    as_bibtex,
    as_csl_json,
    as_ris,
    as_text,
    citation_format,
    one_line,
)
from app.domain.cited import CitedVersion, area_citation, dataset_citation, figure_citation
from app.domain.dataset import version_date
from app.domain.figures import Bound, ClaimantKind
from support import record

VERSION = "2026-05-03.3f9a1c2e"
ACCESSED = date(2026, 12, 1)
SITE = "Foreign recruits in Russia's army: the estimates"
CITED = CitedVersion(SITE, VERSION, ACCESSED)

HOSTILE_TITLES = [
    "Nepal {unbalanced}} braces {",
    r"50% of 100 & $5 #1 _under ^hat ~tilde \backslash \end{document}",
    "He said \"about 200\" and 'at least' “14,000”",
    "first line\nsecond line\r\nthird\rfourth\u2028fifth\u2029sixth\x85seventh\x0bend",
    "عدد المجندين النيباليين 200 ושלום",
    "},\n  note = {injected}\n}\n@misc{second,\n title={x}",
    "x\nER  - \nTY  - JOUR\nTI  - injected",
    "</script><script>alert(1)</script>",
]


def hostile_citation(title: str) -> Citation:
    return Citation(
        key="foreign-recruits-figure-7",
        title=title,
        summary=f"Reported by Example {title}. Figure #7 of the dataset.",
        author=SITE,
        url="http://127.0.0.1:8123/figures/7",
        version=VERSION,
        accessed=ACCESSED,
        issued=version_date(VERSION),
    )


def latex_to_text() -> LatexNodes2Text:
    """pylatexenc's reader, taught the LaTeX text commands for braces it lacks, and the ASCII
    circumflex LaTeX's \\textasciicircum prints (pylatexenc reads it as the modifier letter)."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "text-braces",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(latex_context=context)


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_bibtex_of_a_hostile_title_is_one_entry_that_reads_back_as_the_title(title: str) -> None:
    written = as_bibtex(hostile_citation(title))
    library = bibtexparser.parse_string(written)
    assert library.failed_blocks == []
    [entry] = library.entries
    assert entry.key == "foreign-recruits-figure-7"
    assert set(entry.fields_dict) == {
        "author",
        "title",
        "publisher",
        "version",
        "url",
        "urldate",
        "year",
        "date",
        "note",
    }
    decoded = bibtexparser.parse_string(
        written, append_middleware=[LatexDecodingMiddleware(decoder=latex_to_text())]
    ).entries[0]
    assert decoded["title"] == one_line(title)
    assert decoded["author"] == SITE
    assert decoded["version"] == VERSION
    assert decoded["urldate"] == "2026-12-01"
    assert f"Dataset version {VERSION}, accessed 2026-12-01" in decoded["note"]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_ris_of_a_hostile_title_is_one_record_with_every_tag_on_its_line(title: str) -> None:
    written = as_ris(hostile_citation(title))
    assert written.endswith("ER  - \r\n")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in written.split("\r\n")[:-1])
    [entry] = rispy.loads(written)
    assert entry["type_of_reference"] == "DATA"
    assert entry["title"] == one_line(title)
    assert entry["authors"] == [SITE]
    assert entry["edition"] == VERSION
    assert entry["access_date"] == "2026/12/01"
    assert entry["urls"] == ["http://127.0.0.1:8123/figures/7"]
    assert f"Dataset version {VERSION}, accessed 2026-12-01" in entry["notes"][0]


CSL_SCHEMA = Path(citeproc.DATA_PATH) / "schema" / "schemas" / "styles"


def csl_choices(file_name: str, rule: str) -> set[str]:
    """Return the quoted names a rule of the CSL schema (as citeproc-py ships it) lists."""
    text = (CSL_SCHEMA / file_name).read_text()
    found = re.search(rf"^\s*{re.escape(rule)} =\n(.*?)\n\s*(?:\n|\}})", text, re.M | re.S)
    assert found is not None, rule
    return set(re.findall(r'"([^"]+)"', found.group(1)))


def assert_csl_item_types(item: dict[str, Any]) -> None:
    """Check each field of a CSL-JSON item against the kind of variable the CSL schema makes it."""
    assert item["type"] in csl_choices("csl-types.rnc", "item-types")
    dates = csl_choices("csl-variables.rnc", "variables.dates")
    names = csl_choices("csl-variables.rnc", "variables.names")
    numbers = csl_choices("csl-variables.rnc", "variables.numbers")
    strings = csl_choices("csl-variables.rnc", "variables.strings")
    titles = csl_choices("csl-variables.rnc", "variables.titles")
    assert isinstance(item["id"], str)
    for name, value in item.items():
        if name in ("id", "type"):
            continue
        if name in dates:
            [[*parts]] = value["date-parts"]
            assert all(isinstance(part, int) for part in parts) and 1 <= len(parts) <= 3
        elif name in names:
            assert all(set(person) <= {"family", "given", "literal"} for person in value)
        elif name in numbers:
            assert isinstance(value, str | int)
        else:
            assert name in strings | titles, f"{name} is no CSL variable"
            assert isinstance(value, str) and "\n" not in value


def render_csl(written: str) -> str:
    style = CitationStylesStyle(
        str(Path(citeproc.STYLES_PATH) / "harvard-cite-them-right.csl"), validate=False
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # citeproc-py predates CSL 1.0.2's `license`
        source = CiteProcJSON(json.loads(written))
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(CiteprocCitation([CitationItem("foreign-recruits-figure-7")]))
    [entry] = bibliography.bibliography()
    return str(entry)


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_csl_json_of_a_hostile_title_fits_the_csl_schema_and_renders(title: str) -> None:
    written = as_csl_json(hostile_citation(title))
    [item] = json.loads(written)
    assert_csl_item_types(item)
    assert item["title"] == one_line(title)
    assert item["version"] == VERSION
    assert item["accessed"] == {"date-parts": [[2026, 12, 1]]}
    rendered = render_csl(written)
    assert one_line(title) in rendered
    assert "Accessed: December 1, 2026" in rendered


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_text_is_one_paragraph_naming_version_access_date_and_licence(title: str) -> None:
    written = as_text(hostile_citation(title))
    assert written == one_line(written)
    assert written.startswith(one_line(title))
    assert f"dataset version {VERSION}" in written
    assert "(accessed 2026-12-01)" in written
    assert written.endswith("Licence: CC BY 4.0.")


def test_each_format_is_a_download_of_its_own_media_type_and_file_name() -> None:
    citation = hostile_citation("x")
    media_types = {form.extension: form.media_type.split(";")[0] for form in CITATION_FORMATS}
    assert media_types == {
        "txt": "text/plain",
        "bib": "application/x-bibtex",
        "ris": "application/x-research-info-systems",
        "json": "application/vnd.citationstyles.csl+json",
    }
    bib = citation_format("bib")
    assert bib is not None and bib.filename(citation) == "foreign-recruits-figure-7.bib"
    assert citation_format("pdf") is None


def test_keys_and_file_names_are_ascii_whatever_the_area_code() -> None:
    cited = area_citation("Côte {d'Ivoire}/../", "Côte d'Ivoire", "https://x/regions/a", CITED)
    written = as_bibtex(cited)
    assert written.startswith("@misc{foreign-recruits-cote-d-ivoire,")
    assert CITATION_FORMATS[0].filename(cited) == "foreign-recruits-cote-d-ivoire.txt"


def test_a_figure_citation_names_claimant_value_source_and_permalink() -> None:
    figure = replace(
        record(12, "14000", "15000", Bound.RANGE, ClaimantKind.OFFICIAL_ORIGIN, "2024-02"),
        area_name="Nepal",
        metric_label="Enlisted",
        claimant="Bimala Rai Paudyal",
        source_title='A "hostile" {title} 100%\nwith a break',
        source_publisher="Kathmandu Post",
    )
    citation = figure_citation(figure, "https://dash.example/figures/12", CITED)
    text = as_text(citation)
    assert text.startswith("Nepal, enlisted: 14,000–15,000 persons, according to Bimala Rai")
    assert 'Reported by Kathmandu Post "A "hostile" {title} 100% with a break", 2026' in text
    assert "https://dash.example/figures/12" in text and f"dataset version {VERSION}" in text
    assert citation.issued == date(2026, 5, 3)
    library = bibtexparser.parse_string(as_bibtex(citation))
    assert library.failed_blocks == [] and len(library.entries) == 1
    [entry] = rispy.loads(as_ris(citation))
    assert entry["abstract"].startswith("Reported by Kathmandu Post")


def test_the_dataset_of_an_empty_database_is_cited_without_an_issue_date() -> None:
    citation = dataset_citation("https://dash.example/", CitedVersion(SITE, "empty.1a2b", ACCESSED))
    assert citation.issued is None
    assert "year" not in bibtexparser.parse_string(as_bibtex(citation)).entries[0].fields_dict
    [item] = json.loads(as_csl_json(citation))
    assert "issued" not in item
    assert_csl_item_types(item)
