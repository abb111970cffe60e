"""The overview's map: each country of origin coloured by its current estimate of one metric."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.claim_sides import CurrentEstimate
from app.web.pages.charts import log_ticks
from app.web.pages.plotly_parts import FONT, escape_plotly


@dataclass(frozen=True)
class MapArea:
    """A country on the map: its page, its figure count and the estimate it is coloured by."""

    code: str
    name: str
    url: str
    count: int
    metric_count: int
    estimate: CurrentEstimate | None

    @property
    def estimate_label(self) -> str:
        """Return the estimate in words: value, whose, when; or that there is none."""
        if self.estimate is None:
            return "no dated figure" if self.metric_count else "no figure"
        facts = self.estimate.facts
        return f"{facts.value_label} ({self.estimate.side.label}, {facts.date_label})"


MAP_COLOURS = [[0, "#4292c6"], [0.5, "#08519c"], [1, "#08306b"]]
MAP_NO_ESTIMATE = "#8c8c8c"


def world_map(areas: Sequence[MapArea], metric_label: str) -> dict[str, Any]:
    """Return a choropleth of each country's current independent (else government) estimate of
    one metric on a log scale; countries with figures but no dated estimate in grey."""
    shown = [area for area in areas if area.estimate and area.estimate.facts.central > 0]
    others = [area for area in areas if area not in shown]
    values = [area.estimate.facts.central for area in shown if area.estimate]
    traces: list[dict[str, Any]] = []
    if shown:
        ticks = log_ticks(values)
        traces.append(
            {
                "type": "choropleth",
                "locationmode": "ISO-3",
                "name": escape_plotly(metric_label),
                "locations": [area.code for area in shown],
                "z": [math.log10(value) for value in values],
                "zmin": math.log10(min(values)),
                "zmax": math.log10(max(values)) if len(set(values)) > 1 else None,
                "text": [_map_hover(area, metric_label) for area in shown],
                "customdata": [area.url for area in shown],
                "hovertemplate": "%{text}<extra></extra>",
                "colorscale": MAP_COLOURS,
                "colorbar": {
                    "title": {"text": escape_plotly(metric_label) + " (log scale)"},
                    "thickness": 12,
                    "tickvals": [math.log10(value) for value in ticks["tickvals"]],
                    "ticktext": ticks["ticktext"],
                },
                "marker": {"line": {"color": "#ffffff", "width": 0.5}},
            }
        )
    if others:
        traces.append(
            {
                "type": "choropleth",
                "locationmode": "ISO-3",
                "name": "no dated figure",
                "locations": [area.code for area in others],
                "z": [0 for _ in others],
                "text": [_map_hover(area, metric_label) for area in others],
                "customdata": [area.url for area in others],
                "hovertemplate": "%{text}<extra></extra>",
                "colorscale": [[0, MAP_NO_ESTIMATE], [1, MAP_NO_ESTIMATE]],
                "showscale": False,
                "marker": {"line": {"color": "#ffffff", "width": 0.5}},
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": 420,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "font": FONT,
            "geo": {
                "showframe": False,
                "showcoastlines": False,
                "showcountries": True,
                "countrycolor": "#cccccc",
                "showland": True,
                "landcolor": "#f2f2f2",
                "projection": {"type": "natural earth"},
                "lataxis": {"range": [-55, 85]},
            },
        },
    }


def _map_hover(area: MapArea, metric_label: str) -> str:
    """Return a country's hover text: the estimate it is coloured by and its figure count."""
    return "<br>".join(
        (
            f"<b>{escape_plotly(area.name)}</b>",
            escape_plotly(f"{metric_label}: {area.estimate_label}"),
            f"{area.metric_count} of its {area.count} figures on this",
        )
    )
