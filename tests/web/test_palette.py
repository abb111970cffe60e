"""The chart colours: 3:1 contrast against the page, and apart under the common colour blindnesses.

Colour-blind vision is simulated with the matrices of Machado, Oliveira and Fernandes (2009) at
full severity, on linear RGB; distance is CIE76 ΔE in L*a*b* (D65). A ΔE near 2 is the smallest
difference most people see; the sides' colours must stay 20 apart, every kind's 10.
"""

from __future__ import annotations

import itertools
import math

import pytest

from app.domain.claim_sides import Side
from app.domain.vocabulary import CLAIMANT_KINDS
from app.web.pages.map_chart import MAP_COLOURS, MAP_NO_ESTIMATE

WHITE = "#ffffff"
SIMULATIONS = {
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
    "typical vision": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
}
KIND_COLOURS = {definition.kind.value: definition.colour for definition in CLAIMANT_KINDS}
SIDE_COLOURS = {side.value: KIND_COLOURS[side.value] for side in Side}


def linear_rgb(colour: str) -> tuple[float, ...]:
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def luminance(colour: str) -> float:
    red, green, blue = linear_rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    red, green, blue = rgb
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def seen_as(colour: str, vision: str) -> tuple[float, float, float]:
    rgb = linear_rgb(colour)
    simulated = tuple(
        min(1.0, max(0.0, sum(weight * channel for weight, channel in zip(row, rgb, strict=True))))
        for row in SIMULATIONS[vision]
    )
    return lab(simulated)


def closest_pair(colours: dict[str, str], vision: str) -> tuple[float, str, str]:
    return min(
        (math.dist(seen_as(first, vision), seen_as(second, vision)), a, b)
        for (a, first), (b, second) in itertools.combinations(colours.items(), 2)
    )


def test_the_simulation_finds_the_old_red_and_green_alike() -> None:
    """The check can fail: the former Russian red and Independent green are 12 apart under
    deuteranopia (and 45 apart in typical vision)."""
    old = {"official_russia": "#b2182b", "independent": "#1b7837"}
    assert closest_pair(old, "deuteranopia")[0] < 20 < closest_pair(old, "typical vision")[0]


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_the_sides_stay_apart(vision: str) -> None:
    distance, first, second = closest_pair(SIDE_COLOURS, vision)
    assert distance >= 20, f"{first} and {second} look alike under {vision} (ΔE {distance:.1f})"


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_every_claimant_kind_stays_apart(vision: str) -> None:
    distance, first, second = closest_pair(KIND_COLOURS, vision)
    assert distance >= 10, f"{first} and {second} look alike under {vision} (ΔE {distance:.1f})"


@pytest.mark.parametrize(
    "colour",
    [*KIND_COLOURS.values(), *(stop for _, stop in MAP_COLOURS), MAP_NO_ESTIMATE],
)
def test_every_graphic_colour_has_3_to_1_contrast_against_the_page(colour: str) -> None:
    assert contrast(colour, WHITE) >= 3, colour
