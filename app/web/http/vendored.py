"""Vendored JavaScript made to work offline: every address of another host that a vendored bundle
could fetch or open is rewritten when the bundle is vendored (`make vendor-assets`).

Plotly's bundle names its CDN for map geometry (the site hands Plotly the geometry from its own
static files instead), Plotly's chart cloud (its button is removed), its logo's link and a help page
in console messages, and its licence notes and attribute descriptions name pages. They become the
site's own geometry folder, nothing, or text that names the page without being an address. XML namespace names (http://www.w3.org/...) are identifiers that
no browser fetches; they stay.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# What Plotly's bundle names, and what it names instead once vendored.
OFFLINE_REPLACEMENTS = {
    "https://cdn.plot.ly/un/": "/static/geo/",
    "https://cloud.plotly.com/newchart": "",
    'r.href="https://plotly.com/"': 'r.href="#"',
    "see https://plotly.com/javascript/animations/": "see plotly.com/javascript/animations",
    # Links in attribute descriptions and licence notes: kept as text, no longer as addresses.
    "https://github.com/": "github.com/",
    "MIT License: http://getify.mit-license.org": "MIT License: getify.mit-license.org",
    "(@voidqk), http://syntheti.cc": "(@voidqk), syntheti.cc",
}
# Any address of another host (a scheme and a host name), but the XML namespace names.
OTHER_HOST = re.compile(r"\bhttps?://(?!www\.w3\.org/)[A-Za-z0-9.-]+")


def made_offline(text: str) -> str:
    """Return the bundle with every address of another host rewritten (a ValueError names any
    that would remain: a new release of the bundle may name new ones)."""
    for address, replacement in OFFLINE_REPLACEMENTS.items():
        text = text.replace(address, replacement)
    remaining = sorted(set(OTHER_HOST.findall(text)))
    if remaining:
        raise ValueError(f"addresses of other hosts remain in the bundle: {remaining}")
    return text


def other_hosts(text: str) -> list[str]:
    """Return the addresses of other hosts a text names (XML namespace names aside)."""
    return sorted(set(OTHER_HOST.findall(text)))


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(made_offline(path.read_text(encoding="utf-8")), encoding="utf-8")
        sys.stdout.write(f"made {name} work offline\n")
