"""The zip bundle of a download: the CSV, the JSON, their data package, a README and the licence.

The bundle is written as it streams: each file goes into the zip as its chunks come, the CSV
measured (size and SHA-256) on the way, and the data package, written after the data files,
states what was measured. Memory stays flat however many figures there are.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from app.domain.datapackage import (
    CSV_FILE,
    JSON_FILE,
    NEUTRALISED_CELLS,
    FileFacts,
    PackageFacts,
    data_package,
    table_schema,
)
from app.domain.dataset import version_date
from app.domain.licence import DATA_LICENCE_SPDX, DATA_LICENCE_TITLE, DATA_LICENCE_URL

README_FILE = "README.md"
LICENCE_FILE = "LICENSE.txt"
PACKAGE_FILE = "datapackage.json"
_EARLIEST_ZIP_DATE = date(1980, 1, 1)


def measured(chunks: Iterable[bytes], name: str, into: dict[str, FileFacts]) -> Iterator[bytes]:
    """Yield the chunks, and once the last is through record their size and SHA-256 under name."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        yield chunk
    into[name] = FileFacts(size, digest.hexdigest())


class _Chunks:
    """A write-only file that keeps what is written until it is taken (zipfile's output)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes, /) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Do nothing: the written bytes wait to be taken."""

    def close(self) -> None:
        """Do nothing: the written bytes wait to be taken."""

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_chunks(
    members: Iterable[tuple[str, Iterable[bytes]]], *, modified: date
) -> Iterator[bytes]:
    """Yield a zip file of the members (name, chunks), each deflated as its chunks come.

    A member's chunks are read to the end before the next member is asked for, so a member made
    later may describe the earlier ones.
    """
    output = _Chunks()
    stamp = (modified.year, modified.month, modified.day, 0, 0, 0)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if data := output.take():
                        yield data
            if data := output.take():
                yield data
    yield output.take()


def readme_text(facts: PackageFacts) -> str:
    """Return the bundle's README: what the data is, its version, licence, and how to cite it."""
    selection = facts.selection or "every published figure"
    query = f" (the download's query: `{facts.query}`)" if facts.query else ""
    columns = "\n".join(
        f"| `{field['name']}` | {field['type']} | {field['description']} |"
        for field in table_schema()["fields"]
    )
    return f"""# {facts.title}

Sourced estimates about foreign nationals recruited into Russia's armed forces for its war in
Ukraine: per country, how many enlisted, were killed or went missing, criminal cases, pay. Every
number is a claim by someone (a government, Ukraine's agencies, Russian officials, a researcher,
a newspaper), shown with who claims it, when, the source and the sentence it came from. Claims
disagree, often by factors of ten or more: compare them before citing one.

- Dataset version: {facts.version}
- This bundle holds: {selection}{query}
- From: {facts.homepage}
- Licence: {DATA_LICENCE_TITLE} ({DATA_LICENCE_SPDX}), {DATA_LICENCE_URL}; see {LICENCE_FILE}

## Files

| file | what |
| --- | --- |
| `{CSV_FILE}` | one row per figure (UTF-8 with a byte order mark){", the second row HXL hashtags" if facts.hxl else ""} |
| `{JSON_FILE}` | the same figures as one JSON object, text as stated |
| `{PACKAGE_FILE}` | the Frictionless Data Package (v2): the columns' types, descriptions and allowed values, the CSV's size and SHA-256 |
| `{README_FILE}`, `{LICENCE_FILE}` | this page and the licence |

{NEUTRALISED_CELLS}

Check the bundle with `frictionless validate {PACKAGE_FILE}`.

## How to cite

Credit the dataset as:

> {facts.attribution}

Cite a single figure by its permalink (the `permalink` column) and the dataset version; the
figure's page has a citation ready to paste. The words and numbers are the claimants' own: name
the claimant and the source (`claimant`, `source_publisher`, `source_url`) too.

## Columns

| column | type | what |
| --- | --- | --- |
{columns}
"""


def licence_text(facts: PackageFacts) -> str:
    """Return the bundle's licence file: the licence, what it allows and asks, and the credit line."""
    return f"""{facts.title}
Dataset version {facts.version}

Licensed under the {DATA_LICENCE_TITLE} licence ({DATA_LICENCE_SPDX}).
The licence's full text: {DATA_LICENCE_URL}legalcode

You are free to share (copy and redistribute the material in any medium or format) and to adapt
(remix, transform and build upon the material) for any purpose, even commercially, under these
terms:

- Attribution: give appropriate credit, provide a link to the licence, and indicate if changes
  were made. You may do so in any reasonable manner, but not in any way that suggests the
  licensor endorses you or your use.
- No additional restrictions: you may not apply legal terms or technological measures that
  legally restrict others from doing anything the licence permits.

No warranties are given. The quotes are the words of their sources, reproduced to show what each
figure rests on; the licence covers this compilation, not the sources' own texts.

Credit line:
{facts.attribution}
"""


def bundle_members(
    facts: PackageFacts, csv_chunks: Iterable[bytes], json_chunks: Iterable[bytes]
) -> Iterator[tuple[str, Iterable[bytes]]]:
    """Yield the bundle's files in order: the data files, then the package that measures them."""
    files: dict[str, FileFacts] = {}
    yield CSV_FILE, measured(csv_chunks, CSV_FILE, files)
    yield JSON_FILE, json_chunks
    package: Mapping[str, object] = data_package(facts, files=files)
    yield PACKAGE_FILE, [json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")]
    yield README_FILE, [readme_text(facts).encode("utf-8")]
    yield LICENCE_FILE, [licence_text(facts).encode("utf-8")]


def bundle_chunks(
    facts: PackageFacts, csv_chunks: Iterable[bytes], json_chunks: Iterable[bytes]
) -> Iterator[bytes]:
    """Yield the zip bundle of a slice's CSV and JSON with their package, README and licence."""
    made = max(version_date(facts.version) or _EARLIEST_ZIP_DATE, _EARLIEST_ZIP_DATE)
    return zip_chunks(bundle_members(facts, csv_chunks, json_chunks), modified=made)
