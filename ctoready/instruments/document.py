"""The instrument as typed, immutable data (no Django): what the flow and reports read."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

SCALE_TYPES = ("likert",)
ITEM_TYPES = ("likert", "scenario", "background", "preference", "self_check")
PARTS = ("core", "deep")  # the ten-minute core, then the optional deep-dive
DEEP_ITEM_TYPES = ("scenario", "self_check")  # everything scored for the core stays in it
ACTION_KINDS = ("experience", "exposure", "education")
PHASES = ("listen", "quick-wins", "execute")
BAND_CUTS = (40.0, 70.0)


@dataclass(frozen=True)
class ResponsePoint:
    value: int
    label: str


@dataclass(frozen=True)
class ResponseScale:
    id: str
    points: tuple[ResponsePoint, ...]
    no_opportunity: str | None = None
    stem: str | None = None  # shown once above a page's items: "In the last twelve months, …"
    observer_stem: str | None = None

    @property
    def max_value(self) -> int:
        return len(self.points)


@dataclass(frozen=True)
class Action:
    kind: str
    text: str
    guide: str | None = None


@dataclass(frozen=True)
class Insertion:
    week: int
    text: str


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    domain: str
    description: str
    bands: dict[str, str]
    actions: tuple[Action, ...]
    first_90_days: tuple[Insertion, ...] = ()
    experience_gap: str | None = None
    guide: str | None = None

    def band(self, score: float) -> str:
        low, high = BAND_CUTS
        return "low" if score < low else ("high" if score >= high else "middle")


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    effectiveness: int | None = None
    rationale: str | None = None
    points_to: str | None = None


KEY_SOURCES = ("authors", "panel")
MIN_PANEL_EXPERTS = 6


@dataclass(frozen=True)
class KeyProvenance:
    """Who keyed a scenario's options: the authors (provisional) or an expert panel."""

    source: str  # authors | panel
    experts: int | None = None  # panel only: how many practising CTOs rated the options
    agreement: float | None = None  # panel only: their agreement, 0..1 (rwg(j))
    date: str | None = None  # panel only: when the panel keyed it, YYYY-MM-DD

    @property
    def is_panel(self) -> bool:
        return self.source == "panel"


AUTHORS_KEY = KeyProvenance("authors")


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    text: str
    scale: str | None = None
    response_scale: str | None = None
    observer_text: str | None = None
    reverse: bool = False
    irt_a: float | None = None
    irt_b: tuple[float, ...] | None = None
    title: str | None = None
    question: str | None = None
    mode: str | None = None
    options: tuple[Option, ...] = ()
    field: str | None = None
    dimension: str | None = None
    scales: tuple[str, ...] = ()
    key_provenance: KeyProvenance | None = None  # scenarios only

    @property
    def is_likert(self) -> bool:
        return self.type == "likert"

    def full_text(self, instrument: "Instrument", observer: bool = False) -> str:
        """The question as one sentence, with its response scale's stem when it has one."""
        text = (self.observer_text if observer else None) or self.text
        scale = instrument.response_scales.get(self.response_scale or "")
        stem = (scale.observer_stem if observer else scale.stem) if scale else None
        return f"{stem.rstrip('…. ')} {text}" if stem else text


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    items: tuple[str, ...]
    intro: str | None = None
    part: str = "core"


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    weights: dict[str, float]
    summary: str | None = None
    rationale: str | None = None
    guide: str | None = None


@dataclass(frozen=True)
class Condition:
    """A background answer that shows some experience: ``item`` answered with one of
    ``options``. ``experience`` names it as a phrase ("leading other managers")."""

    item: str
    options: tuple[str, ...]
    experience: str | None = None

    def met(self, choices: Mapping[str, Any]) -> bool:
        return choices.get(self.item) in self.options


@dataclass(frozen=True)
class ReadinessLevel:
    min: float
    label: str
    text: str
    requires: tuple[Condition, ...] = ()  # experience the level presumes (all of them)


@dataclass(frozen=True)
class PathStage:
    id: str
    title: str
    text: str
    milestones: tuple[str, ...]
    guide: str | None = None
    reached_when: tuple[Condition, ...] = ()  # any one of these answers shows it reached


@dataclass(frozen=True)
class Week:
    week: int
    phase: str
    title: str
    actions: tuple[str, ...]
    guide: str | None = None  # the guide section this week follows (first-90-days#…)


@dataclass(frozen=True)
class AdaptiveSettings:
    enabled: bool = False
    se_target: float = 0.45
    max_items: int = 40


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    locale: str
    title: str
    description: str
    estimated_minutes: int
    response_scales: dict[str, ResponseScale]
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    pages: tuple[Page, ...]
    roles: tuple[Profile, ...]
    cto_types: tuple[Profile, ...]
    contexts: tuple[Profile, ...]
    readiness_levels: tuple[ReadinessLevel, ...]
    path_to_cto: tuple[PathStage, ...]
    first_90_days: tuple[Week, ...]
    adaptive: AdaptiveSettings = field(default_factory=AdaptiveSettings)
    instructions: str | None = None
    format: int = 1

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def scale_by_id(self) -> dict[str, Scale]:
        return {scale.id: scale for scale in self.scales}

    @cached_property
    def context_by_id(self) -> dict[str, Profile]:
        return {context.id: context for context in self.contexts}

    @cached_property
    def likert_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.type == "likert")

    @cached_property
    def part_of_item(self) -> dict[str, str]:
        return {ref: page.part for page in self.pages for ref in page.items}

    @property
    def has_deep(self) -> bool:
        return any(page.part == "deep" for page in self.pages)

    def page_numbers(self, part: str) -> range:
        """The 1-based numbers of a part's pages (the deep-dive's follow the core's)."""
        numbers = [n for n, page in enumerate(self.pages, start=1) if page.part == part]
        return range(numbers[0], numbers[-1] + 1) if numbers else range(0)

    def part_of_page(self, number: int) -> str:
        return self.pages[number - 1].part

    @cached_property
    def items_by_part(self) -> dict[str, tuple[Item, ...]]:
        return {
            part: tuple(item for item in self.items if self.part_of_item.get(item.id) == part)
            for part in PARTS
        }

    def items_in(self, part: str) -> tuple[Item, ...]:
        """A part's items in document order (every page and autosave asks: built once)."""
        return self.items_by_part.get(part, ())

    def items_of(self, item_type: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.type == item_type)

    def readiness_level(self, score: float) -> ReadinessLevel:
        chosen = self.readiness_levels[0]
        for level in self.readiness_levels:
            if score >= level.min:
                chosen = level
        return chosen

    def label(self) -> str:
        return f"{self.id}@{self.version}"


def valid_answer(item: Item, value: Any, instrument: Instrument) -> bool:
    """Whether ``value`` is an answer this item accepts (``None`` clears an answer)."""
    if value is None:
        return True
    if item.type == "likert":
        scale = instrument.response_scales[item.response_scale or ""]
        if value == "na":
            return scale.no_opportunity is not None
        return (
            isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= scale.max_value
        )
    if item.type == "scenario":
        return _valid_scenario_answer(item, value)
    return isinstance(value, str) and value in {option.id for option in item.options}


def _valid_scenario_answer(item: Item, value: Any) -> bool:
    option_ids = {option.id for option in item.options}
    if item.mode == "rate_each":
        return (
            isinstance(value, dict)
            and set(value) <= option_ids
            and all(isinstance(v, int) and 1 <= v <= 5 for v in value.values())
        )
    if not isinstance(value, dict) or set(value) - {"best", "worst"}:
        return False
    best, worst = value.get("best"), value.get("worst")
    if best is not None and best not in option_ids:
        return False
    if worst is not None and worst not in option_ids:
        return False
    return best is None or best != worst
