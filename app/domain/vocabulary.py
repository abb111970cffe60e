"""The fixed vocabularies: metrics, claimant kinds and regions, as seeded into the database."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.figures import ClaimantKind


@dataclass(frozen=True)
class MetricDefinition:
    """One metric: what is counted, in which group, whether it is money, and the units it takes."""

    slug: str
    label: str
    group: str
    unit_kind: str
    definition: str
    units: tuple[str, ...] = ("persons",)


METRIC_GROUPS = ("people", "losses", "legal", "pay", "context")

METRICS: tuple[MetricDefinition, ...] = (
    MetricDefinition(
        "enlisted",
        "Enlisted",
        "people",
        "count",
        "Nationals who joined Russia's armed forces (contract, volunteer unit or mobilisation).",
    ),
    MetricDefinition(
        "recruited",
        "Recruited",
        "people",
        "count",
        "Nationals recruited or sent to join Russia's forces; may include people not yet enlisted.",
    ),
    MetricDefinition(
        "contracts_signed",
        "Contracts signed",
        "people",
        "count",
        "Military contracts signed with Russia's Ministry of Defence.",
    ),
    MetricDefinition(
        "deployed",
        "Deployed",
        "people",
        "count",
        "Nationals sent to the war zone or fighting there.",
    ),
    MetricDefinition(
        "on_front_line",
        "On the front line",
        "people",
        "count",
        "Nationals at the front at the stated date.",
    ),
    MetricDefinition(
        "volunteer_applications",
        "Volunteer applications",
        "people",
        "count",
        "Applications to fight received, not people deployed.",
        ("applications",),
    ),
    MetricDefinition(
        "trainees_arrived",
        "Trainees arrived",
        "people",
        "count",
        "Recruits who arrived in Russia for training.",
    ),
    MetricDefinition(
        "serving",
        "Serving",
        "people",
        "count",
        "Nationals serving in Russia's forces at the stated date (a stock: those who left, died or"
        " went missing are not counted).",
    ),
    MetricDefinition(
        "deployment_planned",
        "Deployment planned",
        "people",
        "count",
        "Troops or workers a government decided, announced or said it was willing to send: a plan,"
        " not a count of people sent.",
    ),
    MetricDefinition(
        "deployment_forecast",
        "Deployment forecast",
        "people",
        "count",
        "Troops or workers others expect a government to send (an intelligence forecast): neither"
        " an announcement nor a count of people sent.",
    ),
    MetricDefinition(
        "returned",
        "Returned",
        "people",
        "count",
        "Nationals who came home from Russia's forces: discharged, escaped, rescued or repatriated.",
    ),
    MetricDefinition(
        "killed", "Killed", "losses", "count", "Nationals killed while serving in Russia's forces."
    ),
    MetricDefinition(
        "missing", "Missing", "losses", "count", "Nationals missing in action or out of contact."
    ),
    MetricDefinition(
        "killed_or_missing",
        "Killed or missing",
        "losses",
        "count",
        "Killed and missing counted together, when a source does not separate them.",
    ),
    MetricDefinition(
        "casualties",
        "Casualties",
        "losses",
        "count",
        "Killed and wounded (and sometimes missing) together.",
    ),
    MetricDefinition(
        "captured", "Captured", "losses", "count", "Nationals held as prisoners of war by Ukraine."
    ),
    MetricDefinition(
        "wounded",
        "Wounded",
        "losses",
        "count",
        "Nationals wounded while serving in Russia's forces (including those in hospital).",
    ),
    MetricDefinition(
        "criminal_cases",
        "Criminal cases",
        "legal",
        "count",
        "Criminal cases the home country opened against nationals who fought for Russia.",
        ("cases", "persons"),
    ),
    MetricDefinition(
        "convictions",
        "Convictions",
        "legal",
        "count",
        "Court convictions at home for fighting for Russia (mercenarism and similar).",
        ("persons", "cases"),
    ),
    MetricDefinition(
        "trafficking_victims",
        "Trafficking victims",
        "legal",
        "count",
        "People trafficked towards Russia's forces, as counted by investigators.",
        ("persons", "instances"),
    ),
    MetricDefinition(
        "recruitment_suspects",
        "Suspects in recruitment cases",
        "legal",
        "count",
        "People arrested, detained, charged or named as suspects at home in a case about recruiting"
        " or trafficking nationals into Russia's forces: mostly recruiters and agents, sometimes"
        " recruits held in the same case.",
    ),
    MetricDefinition(
        "recruitment_convictions",
        "Convictions for recruiting",
        "legal",
        "count",
        "People convicted at home for recruiting or trafficking nationals into Russia's forces.",
    ),
    MetricDefinition(
        "pay_monthly",
        "Monthly pay",
        "pay",
        "money",
        "Monthly pay offered or received.",
        ("per month",),
    ),
    MetricDefinition(
        "signing_bonus",
        "Signing bonus",
        "pay",
        "money",
        "One-off payment for signing a contract.",
        ("one-off",),
    ),
    MetricDefinition(
        "factory_pay_monthly",
        "Factory pay (monthly)",
        "pay",
        "money",
        "Monthly wage offered to foreign civilians recruited to work in Russia's arms factories"
        " (not military pay).",
        ("per month",),
    ),
    MetricDefinition(
        "citizenship_granted",
        "Citizenship granted",
        "context",
        "count",
        "Russian citizenship granted to foreign fighters (sometimes with family members).",
    ),
    MetricDefinition(
        "training_weeks",
        "Training (weeks)",
        "context",
        "duration",
        "Length of training before deployment.",
        ("weeks",),
    ),
    MetricDefinition(
        "casualties_per_year",
        "Casualties in a year",
        "context",
        "count",
        "Killed and wounded in one calendar year.",
    ),
    MetricDefinition(
        "casualties_per_day",
        "Casualties per day",
        "context",
        "count",
        "Average killed and wounded per day over a stated period.",
        ("persons per day",),
    ),
    MetricDefinition(
        "factory_workers",
        "Factory workers",
        "context",
        "count",
        "Foreign civilians recruited to or working in Russia's arms factories (not enlisted).",
    ),
    MetricDefinition(
        "families_seeking_help",
        "Families seeking help",
        "context",
        "count",
        "Families who asked their government for help to find or bring home a relative in Russia's"
        " forces, or the requests they made.",
        ("families", "requests"),
    ),
)

METRIC_UNITS: dict[str, tuple[str, ...]] = {metric.slug: metric.units for metric in METRICS}
MONEY_METRICS = frozenset(metric.slug for metric in METRICS if metric.unit_kind == "money")
ALL_UNITS: tuple[str, ...] = tuple(dict.fromkeys(unit for m in METRICS for unit in m.units))


def unit_problem(metric: str, unit: str, currency: str | None) -> str | None:
    """Return why a unit or currency does not fit the metric (with the valid units), or None."""
    units = METRIC_UNITS.get(metric)
    if units is None:
        return None  # not in the vocabulary: the metric's own check reports it
    if unit not in units:
        listed = ", ".join(f"'{u}'" for u in units)
        return f"unit: '{unit[:40]}' is not a unit of {metric}: use {listed}"
    if metric in MONEY_METRICS and currency is None:
        return "currency: is required for money (an ISO 4217 code such as USD, RUB, KES)"
    if metric not in MONEY_METRICS and currency is not None:
        return f"currency: is for money only, and {metric} is not money"
    return None


@dataclass(frozen=True)
class ClaimantKindDefinition:
    """One claimant kind: its label, its colour on every chart, and a description.

    The colours stay apart under the common colour blindnesses (the sides' colours most of all)
    and each has 3:1 contrast or more against the white page (tests/domain/test_palette.py).
    """

    kind: ClaimantKind
    label: str
    colour: str
    description: str


CLAIMANT_KINDS: tuple[ClaimantKindDefinition, ...] = (
    ClaimantKindDefinition(
        ClaimantKind.OFFICIAL_RUSSIA,
        "Russian officials",
        "#b2182b",
        "Russia's government, ministries and officials.",
    ),
    ClaimantKindDefinition(
        ClaimantKind.OFFICIAL_ORIGIN,
        "Home-country officials",
        "#b8860b",
        "The recruits' own government.",
    ),
    ClaimantKindDefinition(
        ClaimantKind.OFFICIAL_UKRAINE,
        "Ukrainian officials",
        "#004488",
        "Ukraine's government, intelligence and state projects (a belligerent).",
    ),
    ClaimantKindDefinition(
        ClaimantKind.OFFICIAL_THIRD,
        "Other governments",
        "#000000",
        "Governments not at war: UK MoD, US State Department, South Korea's NIS.",
    ),
    ClaimantKindDefinition(
        ClaimantKind.INDEPENDENT,
        "Independent",
        "#009e73",
        "Researchers, NGOs, activists and newsrooms' own counts.",
    ),
    ClaimantKindDefinition(
        ClaimantKind.MEDIA,
        "Media (unattributed)",
        "#882255",
        "Press estimates with no named source.",
    ),
    ClaimantKindDefinition(
        ClaimantKind.TESTIMONY, "Testimony", "#9467bd", "Prisoners of war, recruits and families."
    ),
    ClaimantKindDefinition(ClaimantKind.UNKNOWN, "Unknown", "#767676", "Who speaks is not known."),
)
# Areas whose figures are context, not recruits: Russia's own losses. They stay off the map of
# countries of origin, the metric pages and the most contested list.
CONTEXT_AREA_CODES = frozenset({"RUS"})
KIND_LABELS: dict[str, str] = {
    definition.kind.value: definition.label for definition in CLAIMANT_KINDS
}


@dataclass(frozen=True)
class RegionDefinition:
    """An aggregate area that is not one country."""

    slug: str
    name: str
    description: str


REGIONS: tuple[RegionDefinition, ...] = (
    RegionDefinition(
        "world",
        "All foreign nationals",
        "Foreigners of all nationalities in Russia's forces, counted together.",
    ),
    RegionDefinition("africa", "Africa", "Nationals of African countries, counted together."),
    RegionDefinition(
        "central-asia",
        "Central Asia",
        "Nationals of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan together.",
    ),
    RegionDefinition(
        "former-soviet",
        "Former Soviet republics",
        "Nationals of the former Soviet republics other than Russia, counted together.",
    ),
)
