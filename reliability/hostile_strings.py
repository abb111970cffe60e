"""Hostile input: the strings an attacker or a careless copy-paste sends, by kind.

The fast tests send them through the form, the importer and the API; the slow suite sends them
to the real server too.
"""

from __future__ import annotations

from dataclasses import dataclass

ONE_MEGABYTE = 1_000_000


@dataclass(frozen=True)
class HostileString:
    """One hostile text, with its kind (xss, sql, formula, ...) and a short name for reports."""

    kind: str
    name: str
    text: str


HOSTILE_STRINGS: tuple[HostileString, ...] = (
    HostileString("xss", "script tag", '<script>alert("xss")</script>'),
    HostileString("xss", "closing a JSON script block", "</script><script>alert(1)</script>"),
    HostileString("xss", "attribute break-out", '"><img src=x onerror=alert(1)>'),
    HostileString("xss", "single-quoted attribute", "' onmouseover='alert(1)' x='"),
    HostileString("xss", "svg onload", "<svg/onload=alert(document.cookie)>"),
    HostileString("xss", "javascript URL", "javascript:alert(document.domain)"),
    HostileString("xss", "template syntax", "{{ 7*7 }} {% if 1 %}x{% endif %} ${7*7} #{7*7}"),
    HostileString("xss", "comment and CDATA", "<!-- --><![CDATA[x]]>&lt;&amp;"),
    HostileString("sql", "tautology", "' OR '1'='1"),
    HostileString("sql", "stacked drop", "'; DROP TABLE figures; --"),
    HostileString("sql", "union select", "1) UNION SELECT password_hash FROM moderators --"),
    HostileString("sql", "sleep", "'||pg_sleep(5)||'"),
    HostileString("sql", "backslash quote", "\\'; SELECT 1; --"),
    HostileString("sql", "LIKE wildcards", "%_%\\%"),
    HostileString("formula", "hyperlink formula", '=HYPERLINK("http://evil.example","click")'),
    HostileString("formula", "plus formula", "+1+1"),
    HostileString("formula", "minus formula", "-2+3"),
    HostileString("formula", "at formula", "@SUM(1,1)"),
    HostileString("formula", "DDE command", "=cmd|' /C calc'!A0"),
    HostileString("formula", "apostrophe then formula", "'=1+1"),
    HostileString("bidi", "right-to-left override", "\u202egnp.exe"),
    HostileString("bidi", "isolates", "\u2066isolated\u2069 and \u2067rtl\u2069"),
    HostileString("bidi", "zero-width and marks", "a\u200bb\u200c\u200d\u200e\u200f\u061c"),
    HostileString("bidi", "byte-order mark", "\ufeff15,000 recruits"),
    HostileString("bidi", "override in a web address", "https://example.org/\u202efdp.exe"),
    HostileString("nul", "NUL inside", "a\x00b"),
    HostileString("nul", "NUL alone", "\x00"),
    HostileString("control", "terminal escape", "\x1b[31mred\x1b[0m"),
    HostileString("control", "header injection", "x\r\nSet-Cookie: sid=forged"),
    HostileString("control", "vertical tab and form feed", "a\x0bb\x0cc"),
    HostileString("huge", "1 MB of ASCII", "x" * ONE_MEGABYTE),
    HostileString("huge", "1 MB of two-byte letters", "é" * (ONE_MEGABYTE // 2)),
    HostileString("huge", "one past the longest quote", "W" * 5001),
    HostileString("unicode", "emoji sequence", "👩‍👩‍👧‍👦 🇳🇵 😀"),
    HostileString("unicode", "combining marks", "Z̴̡̛̙a̷l̸g̵o̶"),
    HostileString("unicode", "Cyrillic and Persian", "Кремль: «около 2,5» — نیپال"),
    HostileString("unicode", "astral plane", "\U0001d54f\U00010348\U000e0041"),
    HostileString("number", "exponent", "1e999"),
    HostileString("number", "not a number", "NaN"),
    HostileString("number", "infinity", "Infinity"),
    HostileString("number", "negative zero", "-0"),
    HostileString("number", "thirty digits", "9" * 30),
    HostileString("number", "too many decimals", "0.0000001"),
    HostileString("number", "Arabic-Indic digits", "١٢٣"),
    HostileString("number", "full-width digits", "１２３"),
    HostileString("path", "path traversal", "../../../../etc/passwd"),
    HostileString("path", "format strings", "%s%s%n{0}{__class__}"),
)

INVALID_UTF8: tuple[tuple[str, bytes], ...] = (
    ("lone continuation bytes", b"\x80\xbf"),
    ("UTF-16 byte-order mark", b"\xff\xfe"),
    ("truncated sequence", b"\xe2\x82"),
    ("overlong slash", b"\xc0\xaf"),
    ("encoded surrogate", b"\xed\xa0\x80"),
    ("five-byte sequence", b"\xf8\x88\x80\x80\x80"),
    ("Latin-1 text", "Kremlin: «près de 2,5»".encode("latin-1")),
)


def kinds() -> list[str]:
    """Return the kinds of hostile string, in catalogue order."""
    return list(dict.fromkeys(hostile.kind for hostile in HOSTILE_STRINGS))
