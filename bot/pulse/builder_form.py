"""Reading the survey builder's submission into a checked ``SurveyDraft``, with every mistake
placed on the field it is about."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.errors import FormErrors, UserInputError
from bot.core.text_input import small_int
from bot.pulse import texts as core_texts
from bot.pulse import texts_commands as pulse_texts
from bot.pulse.blocks.builder import AUDIENCE_TEAMS, CUSTOM_QUESTIONS, Field, custom_field
from bot.pulse.questions import (
    MAX_QUESTIONS,
    MIN_RESPONSES_CEILING,
    MIN_RESPONSES_FLOOR,
    REPEAT_PERIOD_DAYS,
    Question,
    Repeat,
    SurveyDraft,
    bank_question,
    custom_question,
    threshold_problems,
    validate_draft,
)
from bot.slack.forms import FieldErrors, SubmittedForm
from storage.models import SURVEY_TITLE_MAX_CHARS


def _moment(form: SubmittedForm, block_id: str) -> datetime | None:
    """A date-time picker's moment; ``None`` when empty or not a plausible timestamp."""
    value = form.element(block_id).get("selected_date_time")
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _bank_questions(form: SubmittedForm, errors: FieldErrors) -> list[Question]:
    questions = []
    refused: str | None = None
    for key in form.choices(Field.BANK):
        try:
            questions.append(bank_question(key))
        except UserInputError as error:
            refused = error.message  # the last refusal is the one shown
    if refused is not None:
        errors.add(Field.BANK, refused)
    return questions


def _questions(form: SubmittedForm, errors: FieldErrors) -> tuple[Question, ...]:
    questions = _bank_questions(form, errors)
    for position in range(1, CUSTOM_QUESTIONS + 1):
        text = form.text(custom_field(position, "text"))
        raw_options = form.text(custom_field(position, "options"))
        if not text and not raw_options:
            continue
        options = [line.strip() for line in raw_options.splitlines() if line.strip()]
        try:
            questions.append(
                custom_question(
                    position,
                    kind=form.value(custom_field(position, "kind")) or "scale",
                    text=text,
                    options=options,
                )
            )
        except UserInputError as error:
            errors.add(custom_field(position, "text"), error.message)
    return tuple(questions)


def _team_refs(form: SubmittedForm, errors: FieldErrors) -> tuple[int, ...]:
    if form.value(Field.AUDIENCE) != AUDIENCE_TEAMS:
        return ()
    if not form.has(Field.TEAMS):
        errors.add(Field.AUDIENCE, pulse_texts.NO_TEAMS_YET)
        return ()
    refs = tuple(ref for value in form.choices(Field.TEAMS) if (ref := small_int(value)))
    if not refs:
        errors.add(Field.TEAMS, pulse_texts.PICK_TEAMS)
    return refs


def _min_responses(form: SubmittedForm, errors: FieldErrors) -> int | None:
    min_responses = small_int(form.text(Field.MIN_RESPONSES), digits=6)
    if min_responses is None:
        errors.add(Field.MIN_RESPONSES, pulse_texts.MIN_RESPONSES_NOT_NUMBER)
    elif problems := threshold_problems(min_responses):
        errors.add(Field.MIN_RESPONSES, " ".join(problems))
    return min_responses


def _known_problems(draft: SurveyDraft) -> list[tuple[str, str]]:
    """Each sentence ``validate_draft`` can say, with the field it is about."""
    known = [
        (Field.TITLE.value, core_texts.TITLE_MISSING),
        (Field.TITLE.value, core_texts.title_too_long(SURVEY_TITLE_MAX_CHARS)),
        (Field.BANK.value, core_texts.NO_QUESTIONS),
        (Field.BANK.value, core_texts.too_many_questions(MAX_QUESTIONS)),
        (Field.CLOSES.value, core_texts.NOT_AWARE),
        (Field.CLOSES.value, core_texts.CLOSES_BEFORE_OPENS),
        (Field.CLOSES.value, core_texts.CLOSES_IN_PAST),
        (Field.MIN_RESPONSES.value, core_texts.threshold_too_low(MIN_RESPONSES_FLOOR)),
        (Field.MIN_RESPONSES.value, core_texts.threshold_too_high(MIN_RESPONSES_CEILING)),
    ]
    known += [
        (Field.BANK.value, core_texts.duplicate_question(question.key))
        for question in draft.questions
    ]
    known += [
        (Field.REPEAT.value, core_texts.window_longer_than_repeat(repeat, days))
        for repeat, days in REPEAT_PERIOD_DAYS.items()
    ]
    return known


def _place(message: str, draft: SurveyDraft, *, fallback: str) -> dict[str, str]:
    """Spread a message naming several problems over the fields they are about."""
    placed: dict[str, str] = {}
    rest = message
    for field, sentence in _known_problems(draft):
        if sentence in rest:
            placed[field] = f"{placed[field]} {sentence}" if field in placed else sentence
            rest = rest.replace(sentence, "")
    if rest.strip():
        placed[fallback] = " ".join(rest.split())
    return placed


def read_builder(form: SubmittedForm, *, now: datetime) -> SurveyDraft:
    """The draft the builder holds, checked with ``validate_draft``; ``FormErrors`` otherwise."""
    errors = FieldErrors()
    questions = _questions(form, errors)
    team_refs = _team_refs(form, errors)
    min_responses = _min_responses(form, errors)
    opens_at, closes_at = _moment(form, Field.OPENS), _moment(form, Field.CLOSES)
    for field, moment in ((Field.OPENS, opens_at), (Field.CLOSES, closes_at)):
        if moment is None:
            errors.add(field, pulse_texts.NO_TIME)
    if opens_at is None or closes_at is None or min_responses is None:
        raise FormErrors(errors.errors)
    draft = SurveyDraft(
        title=form.text(Field.TITLE),
        questions=questions,
        opens_at=opens_at,
        closes_at=closes_at,
        team_refs=team_refs,
        min_responses=min_responses,
        repeat=form.value(Field.REPEAT) or Repeat.NONE,
    )
    try:
        draft = validate_draft(draft, now=now)
    except UserInputError as error:
        placed = _place(error.message, draft, fallback=Field.TITLE)
        if errors and placed.get(Field.BANK) == core_texts.NO_QUESTIONS:
            del placed[Field.BANK]  # a question was refused above; that says it better
        for block_id, sentence in placed.items():
            errors.add(block_id, sentence)
    errors.raise_if_any()
    return draft
