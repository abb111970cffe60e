"""The licence the dataset is published under: Creative Commons Attribution 4.0."""

from __future__ import annotations

LICENCE_NAME = "CC-BY-4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
