"""Coverage: figures and voices per area and metric, the latest date, the core metrics missing."""

from __future__ import annotations

from test_claim_comparison import claim

from app.domain.coverage import coverage_cells, missing_core_metrics, voice_count
from app.domain.figures import ClaimantKind


def test_a_claimants_updates_are_one_voice_and_a_repeat_adds_none() -> None:
    """India's ministry counted 12 then 26 killed: two figures, one voice; a reprint of the 26
    marked as repeating it adds no voice; another claimant is a second voice."""
    ministry = ClaimantKind.OFFICIAL_ORIGIN
    claims = [
        claim(1, "12", as_of="2025-01", claimant="Ministry of External Affairs", kind=ministry),
        claim(2, "26", as_of="2025-12", claimant="ministry of external affairs.", kind=ministry),
        claim(3, "26", claimant="A reprint", kind=ClaimantKind.MEDIA, repeats=2),
        claim(4, "at least 30", as_of="2025-11", claimant="A newsroom's count"),
    ]
    assert voice_count(claims) == 2
    # A repeat of a figure outside the set is a voice of its own here.
    assert voice_count(claims[2:3]) == 1


def test_cells_count_figures_and_voices_and_name_the_latest_date() -> None:
    claims = [
        claim(1, "200", as_of="2023-12-26", metric="enlisted"),
        claim(2, "14000-15000", as_of="2024-02", claimant="an MP", metric="enlisted"),
        claim(3, "up to 2000", claimant="estimates", metric="enlisted"),
        claim(4, "709", start="2025", end="2025", area="KAZ", metric="criminal_cases"),
        claim(5, "709", area="KAZ", metric="criminal_cases", repeats=4),
        claim(6, "at least 14", metric="killed"),
    ]
    cells = {(c.area_code, c.metric_slug): c for c in coverage_cells(claims)}
    assert list(cells) == [("KAZ", "criminal_cases"), ("NPL", "enlisted"), ("NPL", "killed")]
    nepal = cells[("NPL", "enlisted")]
    assert (nepal.figure_count, nepal.voice_count, nepal.latest_label) == (3, 3, "Feb 2024")
    kazakhstan = cells[("KAZ", "criminal_cases")]
    assert (kazakhstan.figure_count, kazakhstan.voice_count) == (2, 1)
    assert kazakhstan.latest_label == "2025"
    assert cells[("NPL", "killed")].latest_label == "no date stated"
    assert missing_core_metrics(list(cells.values()), "NPL") == [
        "missing",
        "criminal_cases",
        "pay_monthly",
    ]
