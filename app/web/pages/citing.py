"""Citations as downloads: a figure, an area's page, a metric's page and the whole dataset, each as
plain text, BibTeX, RIS or CSL-JSON (app/domain/citations.py), naming the dataset version and the
day of the download as the access date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import queries
from app.domain.citations import CITATION_FORMATS, Citation, as_text, citation_format
from app.domain.cited import (
    CitedVersion,
    area_citation,
    dataset_citation,
    figure_citation,
    metric_citation,
)
from app.domain.figures import FigureStatus, parse_identifier
from app.domain.records import FigureRecord
from app.web import urls
from app.web.deps import SessionDep
from app.web.site import Site, site_of, today

router = APIRouter()
CITATION_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The citation as a download (Content-Disposition: attachment)",
        "content": {form.media_type.split(";")[0]: {} for form in CITATION_FORMATS},
    },
    404: {"description": "No such thing to cite, or no such format"},
}


def _citation_route(path: str, name: str) -> Callable[[Callable[..., Response]], Any]:
    """Return the decorator of a citation's route: a download in one of the formats."""
    return router.get(path, name=name, response_class=Response, responses=CITATION_RESPONSES)


def figure_citation_text(record: FigureRecord, site: Site, version: str, accessed: date) -> str:
    """Return a figure's citation as text to paste (the figure's page and its JSON twin show it)."""
    cited = CitedVersion(site.name, version, accessed)
    return as_text(figure_citation(record, site.address(urls.figure(record.id)), cited))


Cite = Callable[[Site, CitedVersion], Citation]


def _citation_response(request: Request, session: Session, extension: str, cite: Cite) -> Response:
    form = citation_format(extension)
    if form is None:
        raise HTTPException(404, "Citations come as cite.txt, cite.bib, cite.ris or cite.json.")
    site = site_of(request)
    citation = cite(
        site, CitedVersion(site.name, queries.current_dataset_version(session), today())
    )
    return Response(
        form.write(citation),
        media_type=form.media_type,
        headers={"Content-Disposition": f'attachment; filename="{form.filename(citation)}"'},
    )


@_citation_route("/cite.{extension}", "cite_dataset")
def cite_dataset(request: Request, extension: str, session: SessionDep) -> Response:
    """The whole dataset, in its current version."""
    return _citation_response(
        request, session, extension, lambda site, cited: dataset_citation(site.address("/"), cited)
    )


@_citation_route("/figures/{figure_id}/cite.{extension}", "cite_figure")
def cite_figure(request: Request, figure_id: str, extension: str, session: SessionDep) -> Response:
    """One published figure (a retracted one has no citation: 410)."""
    record = queries.public_record(session, parse_identifier(figure_id))
    if record is None:
        raise HTTPException(404, f"No published figure #{figure_id[:40]}.")
    if record.status == FigureStatus.RETRACTED.value:
        raise HTTPException(410, f"Figure #{record.id} has been retracted: its page says why.")

    def cite(site: Site, cited: CitedVersion) -> Citation:
        return figure_citation(record, site.address(urls.figure(record.id)), cited)

    return _citation_response(request, session, extension, cite)


def _cite_area(
    request: Request, session: Session, kind: str, code: str, extension: str
) -> Response:
    area = queries.get_area(session, code)
    if area is None or area.kind != kind:
        raise HTTPException(404, f"No {kind} with the code {code[:40]!r}.")

    def cite(site: Site, cited: CitedVersion) -> Citation:
        address = site.address(urls.area_page(area.code, area.kind))
        return area_citation(area.code, area.name, address, cited)

    return _citation_response(request, session, extension, cite)


@_citation_route("/countries/{code}/cite.{extension}", "cite_country")
def cite_country(request: Request, code: str, extension: str, session: SessionDep) -> Response:
    """A country's page: every estimate for it."""
    return _cite_area(request, session, "country", code, extension)


@_citation_route("/regions/{slug}/cite.{extension}", "cite_region")
def cite_region(request: Request, slug: str, extension: str, session: SessionDep) -> Response:
    """A region's page: every estimate for it."""
    return _cite_area(request, session, "region", slug, extension)


@_citation_route("/metrics/{slug}/cite.{extension}", "cite_metric")
def cite_metric(request: Request, slug: str, extension: str, session: SessionDep) -> Response:
    """A metric's page: the metric across countries and regions."""
    metric = queries.get_metric(session, slug)
    if metric is None:
        raise HTTPException(404, f"No metric called {slug[:40]!r}.")

    def cite(site: Site, cited: CitedVersion) -> Citation:
        address = site.address(urls.metric(metric.slug))
        return metric_citation(metric.slug, metric.label, address, cited)

    return _citation_response(request, session, extension, cite)
