"""Request and response bodies. Inputs refuse unknown fields and bound every value."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictInt, StrictStr

MAX_SEQ = 2**62
Seq = Annotated[
    StrictInt, Field(ge=1, le=MAX_SEQ, description="Client sequence number; higher wins.")
]
Slug = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
SemVer = Annotated[str, Field(max_length=32, pattern=r"^[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}$")]
Lang = Literal["en", "fr"]
Paper = Literal["a4", "letter"]
LinkId = Annotated[int, Field(ge=1, le=MAX_SEQ)]
PublicId = Annotated[str, Field(min_length=1, max_length=64)]
Rating = Annotated[StrictInt, Field(ge=1, le=100)]
OptionId = Annotated[StrictStr, Field(min_length=1, max_length=64)]
AnswerValue = Annotated[
    Rating | OptionId | dict[OptionId, Rating | OptionId] | None,
    Field(
        description=(
            'A Likert point (1..n) or "na" (no opportunity yet); an option id; '
            '{"best": id, "worst": id} for a best/worst scenario; {option: 1..5} for a '
            "rate-each scenario; null clears the answer."
        )
    ),
]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# Instruments


class ContextOut(Schema):
    id: str
    name: str
    rationale: str | None = None


class InstrumentOut(Schema):
    id: str
    version: str
    locale: str
    title: str
    description: str
    estimated_minutes: int
    published_at: datetime | None
    contexts: list[ContextOut]


class PointOut(Schema):
    value: int
    label: str


class ResponseScaleOut(Schema):
    id: str
    points: list[PointOut]
    no_opportunity: str | None
    stem: str | None


class OptionOut(Schema):
    id: str
    text: str


class ItemOut(Schema):
    id: str
    type: str
    text: str
    title: str | None = None
    question: str | None = None
    mode: str | None = None
    response_scale: str | None = None
    options: list[OptionOut]


class PageOut(Schema):
    number: int
    id: str
    title: str
    intro: str | None
    items: list[str]


class ScaleOut(Schema):
    id: str
    name: str
    description: str


class InstrumentContentOut(InstrumentOut):
    instructions: str | None
    response_scales: list[ResponseScaleOut]
    scales: list[ScaleOut]
    items: list[ItemOut]
    pages: list[PageOut]


# Attempts


class StartIn(Input):
    instrument: Slug | None = Field(None, description="Instrument id; the newest by default.")
    version: SemVer | None = Field(None, description="A published version; newest by default.")
    context: Slug = Field(description="The target context (stage), one of the instrument's.")
    lang: Lang = "en"
    email: str = Field("", max_length=254)


class PageProgressOut(Schema):
    number: int
    title: str
    answered: int
    total: int


class ProgressOut(Schema):
    answered: int
    total: int
    pages: list[PageProgressOut]


class AttemptOut(Schema):
    id: str
    status: Literal["in_progress", "finished", "expired"]
    instrument: str
    version: str
    locale: str
    context: str
    created_at: datetime
    expires_at: datetime
    finished_at: datetime | None
    progress: ProgressOut
    next_page: int | None = Field(description="The first page with an unanswered question.")


class StartOut(Schema):
    attempt: AttemptOut
    token: str = Field(description="The attempt's bearer token; shown only once.")
    resume_url: str


class QuestionOut(ItemOut):
    number: int
    scale: ResponseScaleOut | None
    answer: Any = None
    seq: int | None = None


class AttemptPageOut(Schema):
    attempt: str
    number: int
    pages: int
    id: str
    title: str
    intro: str | None
    stem: str | None
    questions: list[QuestionOut]
    answered: int
    total: int


class NextOut(Schema):
    done: bool
    page: AttemptPageOut | None


class AnswerIn(Input):
    value: AnswerValue
    seq: Seq


class BatchAnswerIn(Input):
    item: OptionId
    value: AnswerValue
    seq: Seq


class BatchIn(Input):
    answers: list[BatchAnswerIn] = Field(min_length=1, max_length=200)


class SavedOut(Schema):
    item: str
    saved: bool = Field(description="False when a newer answer was already stored (kept).")
    value: Any = None
    seq: int


class BatchOut(Schema):
    results: list[SavedOut]


# Reports


class IntervalOut(Schema):
    score: int
    low: int
    high: int


class ScaleResultOut(Schema):
    id: str
    name: str
    value: IntervalOut | None
    classification: str
    band: str | None
    narrative: str | None


class FitOut(Schema):
    id: str
    name: str
    value: IntervalOut | None


class FitReadingOut(Schema):
    preference: str = Field(description="what the preference answers say, e.g. 2 of 3")
    scores: str = Field(description="what the scale scores alone suggest")
    combined: str = Field(description="the two together, agreement or conflict named")
    note: str | None


class ReportSummaryOut(Schema):
    attempt: str
    finished_at: datetime | None
    instrument: str
    context: str
    readiness: IntervalOut | None
    level: str | None
    level_text: str | None
    level_range: list[str] | None = Field(
        description="the two levels named when the 95% range crosses a cut-off"
    )
    missing_experience: list[str] = Field(
        description="experience a level the range reaches presumes, not shown by the answers"
    )
    scales: list[ScaleResultOut]
    strengths: list[str]
    developments: list[str]
    experience_gaps: list[str]
    judgement: IntervalOut | None
    judgement_key: str = Field(description="who keyed the scenarios the judgement index uses")
    role_fit: list[FitOut]
    top_role: str | None
    type_fit: list[FitOut]
    top_type: str | None
    role_reading: FitReadingOut | None
    type_reading: FitReadingOut | None


# Share links


class ShareIn(Input):
    label: str = Field("", max_length=100)
    days: Literal[7, 30, 90] = 30


class ShareOut(Schema):
    id: int
    label: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    active: bool


class NewShareOut(ShareOut):
    token: str = Field(description="Shown only once.")
    url: str


# Accounts and operators


class MeOut(Schema):
    email: str
    operator: bool


class AttemptListOut(Schema):
    attempts: list[AttemptOut]


class OperatorVersionOut(Schema):
    id: str
    version: str
    locale: str
    status: str
    content_hash: str
    created_at: datetime
    published_at: datetime | None
