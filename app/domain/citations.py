"""A citation of something in the dataset (a figure, an area, a metric, the whole dataset) and its
four written forms: plain text, BibTeX, RIS and CSL-JSON. Each names the dataset version and the
access date, and each stays well formed whatever the titles and quotes it carries hold (braces,
percent signs, quotes, line breaks, right-to-left text)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.domain.licence import DATA_LICENCE_NAME, DATA_LICENCE_URL


@dataclass(frozen=True)
class Citation:
    """What a citation says, whatever its format.

    `key` is ASCII (a BibTeX key and the download's file name); `summary` is the sentence or two
    after the title (a figure's claimant and source), possibly empty; `issued` is the day the
    cited version's data last changed, when known."""

    key: str
    title: str
    summary: str
    author: str
    url: str
    version: str
    accessed: date
    issued: date | None = None

    @property
    def version_note(self) -> str:
        """Return the sentence naming the version, the access date and the licence."""
        return (
            f"Dataset version {self.version}, accessed {self.accessed.isoformat()}. "
            f"Licence: {DATA_LICENCE_NAME} ({DATA_LICENCE_URL})."
        )


# Line and paragraph breaks of every kind, and the other control characters: none may split a
# RIS line or a BibTeX field, and a citation is one paragraph in every format.
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_SPACES = re.compile(r"\s{2,}")


def one_line(text: str) -> str:
    """Return the text on one line: every break and control character a single space."""
    return _SPACES.sub(" ", _BREAKS.sub(" ", text)).strip()


def _cited_key(key: str) -> str:
    """Return a key of ASCII letters, digits, '-' and '_' only (BibTeX keys and file names)."""
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_key).strip("-") or "citation"


def as_text(citation: Citation) -> str:
    """Return the citation to paste into prose."""
    summary = f"{one_line(citation.summary)} " if citation.summary else ""
    return (
        f"{one_line(citation.title)}. {summary}{one_line(citation.author)}, "
        f"dataset version {citation.version}, {citation.url} "
        f"(accessed {citation.accessed.isoformat()}). Licence: {DATA_LICENCE_NAME}."
    )


# In a BibTeX value every brace counts towards closing the field, even after a backslash, so
# braces become \textbraceleft{} and \textbraceright{}; the other characters TeX treats
# specially are escaped as LaTeX text commands.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(_BIBTEX_ESCAPES)) + "]")
_URL_UNSAFE = re.compile(r"[\s{}\\%\"<>]")


def bibtex_text(text: str) -> str:
    """Return text as a BibTeX field value reads it, between braces, with TeX's specials escaped."""
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES[match.group()], one_line(text))


def _bibtex_url(url: str) -> str:
    """Return an address with the characters a BibTeX url field cannot hold percent-encoded."""
    return _URL_UNSAFE.sub(lambda match: f"%{ord(match.group()):02X}", url.strip())


def as_bibtex(citation: Citation) -> str:
    """Return the citation as a BibTeX @misc entry (url, urldate and version for biblatex)."""
    fields = [
        ("author", "{" + bibtex_text(citation.author) + "}"),  # an institution: one name
        ("title", "{" + bibtex_text(citation.title) + "}"),  # its capitals kept
        ("publisher", bibtex_text(citation.author)),
        ("version", bibtex_text(citation.version)),
        ("url", _bibtex_url(citation.url)),
        ("urldate", citation.accessed.isoformat()),
    ]
    if citation.issued is not None:
        fields += [("year", str(citation.issued.year)), ("date", citation.issued.isoformat())]
    note = f"{citation.summary} {citation.version_note}" if citation.summary else ""
    fields.append(("note", bibtex_text(note or citation.version_note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{_cited_key(citation.key)},\n{body}\n}}\n"


def _ris_date(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def as_ris(citation: Citation) -> str:
    """Return the citation as a RIS record of type DATA, one tag a line, CRLF line ends."""
    lines = [
        ("TY", "DATA"),
        ("TI", citation.title),
        ("AU", citation.author),
        ("PB", citation.author),
        ("DB", citation.author),
        ("ET", citation.version),
        ("UR", citation.url),
        ("Y2", _ris_date(citation.accessed)),
    ]
    if citation.issued is not None:
        lines += [("PY", str(citation.issued.year)), ("DA", _ris_date(citation.issued))]
    if citation.summary:
        lines.append(("AB", citation.summary))
    lines += [("N1", citation.version_note), ("ER", "")]
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def _csl_date(day: date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def as_csl_json(citation: Citation) -> str:
    """Return the citation as CSL-JSON: a list holding one item of type 'dataset'."""
    item: dict[str, object] = {
        "id": _cited_key(citation.key),
        "type": "dataset",
        "title": one_line(citation.title),
        "author": [{"literal": one_line(citation.author)}],
        "publisher": one_line(citation.author),
        "version": citation.version,
        "URL": citation.url,
        "accessed": _csl_date(citation.accessed),
        "license": f"{DATA_LICENCE_NAME} ({DATA_LICENCE_URL})",
        "note": one_line(citation.version_note),
    }
    if citation.issued is not None:
        item["issued"] = _csl_date(citation.issued)
    if citation.summary:
        item["abstract"] = one_line(citation.summary)
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class CitationFormat:
    """A written form of a citation: its file extension, media type, name and writer."""

    extension: str
    media_type: str
    label: str
    write: Callable[[Citation], str]

    def filename(self, citation: Citation) -> str:
        """Return the download's file name: the citation's key and this format's extension."""
        return f"{_cited_key(citation.key)}.{self.extension}"


CITATION_FORMATS = (
    CitationFormat("txt", "text/plain; charset=utf-8", "Text", as_text),
    CitationFormat("bib", "application/x-bibtex; charset=utf-8", "BibTeX", as_bibtex),
    CitationFormat("ris", "application/x-research-info-systems; charset=utf-8", "RIS", as_ris),
    CitationFormat("json", "application/vnd.citationstyles.csl+json", "CSL-JSON", as_csl_json),
)
CITATION_EXTENSIONS = tuple(form.extension for form in CITATION_FORMATS)


def citation_format(extension: str) -> CitationFormat | None:
    """Return the format with this extension (txt, bib, ris, json), or None."""
    return next((form for form in CITATION_FORMATS if form.extension == extension), None)
