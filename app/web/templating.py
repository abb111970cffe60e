"""The Jinja2 environment: auto-escaping templates, number and date filters, the claimant-kind legend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from app.domain.dates import PartialDate
from app.domain.figures import BOUND_LABELS, Bound, format_factor, format_number
from app.domain.licence import DATA_LICENCE_NAME, DATA_LICENCE_URL, attribution_line
from app.domain.sources import SOURCE_KIND_LABELS, provenance_label
from app.domain.structured_data import json_ld_text
from app.domain.vocabulary import CLAIMANT_KINDS, KIND_LABELS
from app.models import Source
from app.queries.sources import source_provenance
from app.settings import PROJECT_ROOT
from app.web import urls
from app.web.deps import app_state
from app.web.pages.charts import escape_plotly

KIND_COLOURS = {kind.kind.value: kind.colour for kind in CLAIMANT_KINDS}


def _number(value: Decimal | None) -> str:
    return "" if value is None else format_number(value)


def _factor(value: Decimal | None) -> str:
    return "" if value is None else format_factor(value)


def _partial_date(value: PartialDate | None) -> str:
    return "" if value is None else value.label()


def _with_precision(value: date | None, precision: str | None) -> str:
    partial = PartialDate.of(value, precision)
    return "" if partial is None else partial.label()


def _bound(value: str) -> str:
    return BOUND_LABELS[Bound(value)]


def _provenance(source: Source) -> str:
    return provenance_label(source_provenance(source))


def _json_ld(data: dict[str, Any]) -> Markup:
    # json_ld_text writes <, > and & as JSON escapes: nothing in it can end the script block.
    return Markup(json_ld_text(data))  # noqa: S704


def make_templates(static_url: Callable[[str], str]) -> Jinja2Templates:
    """Return the templates with the project's filters and globals; static_url gives a static
    file's versioned address."""
    templates = Jinja2Templates(directory=str(PROJECT_ROOT / "templates"))
    environment = templates.env
    environment.filters["number"] = _number
    environment.filters["factor"] = _factor
    environment.filters["partial_date"] = _partial_date
    environment.filters["bound_label"] = _bound
    environment.filters["with_precision"] = _with_precision
    environment.filters["provenance"] = _provenance
    environment.filters["json_ld"] = _json_ld
    environment.filters["plotly_text"] = escape_plotly
    environment.globals["source_kind_labels"] = {
        kind.value: label for kind, label in SOURCE_KIND_LABELS.items()
    }
    environment.globals["claimant_kinds"] = CLAIMANT_KINDS
    environment.globals["urls"] = urls
    environment.globals["static_url"] = static_url
    environment.globals["kind_labels"] = KIND_LABELS
    environment.globals["kind_colours"] = KIND_COLOURS
    environment.globals["data_licence"] = {"name": DATA_LICENCE_NAME, "url": DATA_LICENCE_URL}
    environment.globals["attribution_line"] = attribution_line
    return templates


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """Return the template rendered with the context and the site's common values (the site's
    name, and the line to credit the page's data with: its dataset version and address)."""
    templates: Jinja2Templates = app_state(request).templates
    settings = app_state(request).settings
    address = settings.public_base_url.rstrip("/") + request.url.path
    version = context.get("dataset_version")
    full_context = {
        "site_name": settings.site_name,
        "attribution": attribution_line(settings.site_name, version, address),
        "page_address": address,
        **context,
    }
    return templates.TemplateResponse(request, template, full_context, status_code=status_code)
