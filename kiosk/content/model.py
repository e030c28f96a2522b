"""Load the clinic-editable content folder into typed, validated objects."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from kiosk.content.consent import same_documents
from kiosk.content.kinds import KINDS, QUESTION_KINDS, Option, Question, QuestionKind
from kiosk.content.tomltable import IDENTIFIER, ContentError, Table, read_toml
from kiosk.paths import FOLLOWUP_FILE, default_content_dir

__all__ = [
    "QUESTION_KINDS",
    "VISIT_KINDS",
    "Condition",
    "Content",
    "ContentError",
    "FlagRule",
    "FollowUp",
    "Option",
    "Question",
    "QuestionKind",
    "RecommendRule",
    "Rules",
    "VisitKind",
    "Walkthrough",
    "WalkthroughPage",
    "default_content_dir",
    "load_content",
    "load_language",
    "same_shape",
]

WALKTHROUGH_FILE = "walkthrough.toml"
QUESTIONNAIRE_FILE = "questionnaire.toml"
RULES_FILE = "rules.toml"
CONTENT_FILES = (WALKTHROUGH_FILE, QUESTIONNAIRE_FILE, RULES_FILE)
"""The files every content folder needs; `followup.toml` is optional (without
it, Welcome offers only the first visit)."""

VisitKind = Literal["first", "follow-up"]
VISIT_KINDS: tuple[VisitKind, ...] = ("first", "follow-up")

MOST_TYPE_ID = 20
"""A massage type's id goes into the QR code's URL: short, so it fits 80x24."""

FlagKind = Literal["health", "desk"]
FLAG_KINDS: tuple[FlagKind, ...] = ("health", "desk")


@dataclass(frozen=True)
class WalkthroughPage:
    """One difference between spa and medical massage."""

    title: str
    spa: str
    medical: str


@dataclass(frozen=True)
class Walkthrough:
    """The pages a client reads before checking in."""

    title: str
    intro: str
    pages: tuple[WalkthroughPage, ...]


@dataclass(frozen=True)
class Condition:
    """Matches one question's answer."""

    question: str
    any_of: frozenset[str] = frozenset()
    at_least: int | None = None


@dataclass(frozen=True)
class RecommendRule:
    """If `when` matches, recommend `type` because of `why`."""

    when: Condition
    type: str
    why: str


@dataclass(frozen=True)
class FlagRule:
    """If `when` matches, flag the check-in for the front desk."""

    id: str
    kind: FlagKind
    when: Condition
    staff: str


@dataclass(frozen=True)
class Meaningful:
    """When a change in pain over a series matters clinically: both at
    least `points` on the 0-10 scale and at least `percent` of the first
    session's score (about 2 points or 30%: Farrar et al., Pain 94:149, 2001)."""

    points: int = 2
    percent: int = 30


@dataclass(frozen=True)
class Rules:
    """Massage types, the recommendation rules and the flag rules."""

    types: dict[str, str]
    """Type id to display name, in the order the file gives them."""
    default_type: str
    default_why: str
    recommend: tuple[RecommendRule, ...]
    flags: tuple[FlagRule, ...]
    health_notice: str
    meaningful: Meaningful = Meaningful()
    """rules.toml's [progress]: when the desk calls a change in pain meaningful."""


@dataclass(frozen=True)
class FollowUp:
    """The short questionnaire for a client back for another session of a
    series, with its own recommendation and flag rules (the same machinery
    as the first visit's)."""

    questions: tuple[Question, ...]
    rules: Rules


@dataclass(frozen=True)
class Content:
    """Everything the kiosk shows or decides that a clinic can edit."""

    folder: Path
    walkthrough: Walkthrough
    questions: tuple[Question, ...]
    rules: Rules
    followup: FollowUp | None = None
    """None when the folder has no followup.toml."""

    def question(self, question_id: str) -> Question:
        """The question with this id (first visit or follow-up)."""
        for question in self.all_questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def all_questions(self) -> tuple[Question, ...]:
        """Every question either visit asks, first-visit ones first, each id
        once (a follow-up question with a first-visit id is that question)."""
        seen = {question.id for question in self.questions}
        extra = tuple(question for question in (self.followup.questions if self.followup else ())
                      if question.id not in seen)
        return self.questions + extra

    def visit(self, kind: VisitKind) -> tuple[tuple[Question, ...], Rules]:
        """The questions and rules of one kind of visit."""
        if kind == "follow-up" and self.followup is not None:
            return self.followup.questions, self.followup.rules
        return self.questions, self.rules


def _load_walkthrough(path: Path) -> Walkthrough:
    table = read_toml(path)
    pages = []
    for page in table.tables("page", "page"):
        pages.append(
            WalkthroughPage(page.text("title"), page.text("spa"), page.text("medical"))
        )
        page.done()
    if not pages:
        raise table.fail("has no [[page]]")
    walkthrough = Walkthrough(table.text("title"), table.text("intro"), tuple(pages))
    table.done()
    return walkthrough


def _load_question(table: Table) -> Question:
    name = table.text("kind")
    if name not in QUESTION_KINDS:
        raise table.fail(
            f"'kind' must be one of {', '.join(QUESTION_KINDS)}, not {name!r}"
        )
    rules = KINDS[name]
    question = Question(
        id=table.ident("id"),
        kind=name,
        short=table.text("short"),
        prompt=table.text("prompt"),
        help=table.text("help", ""),
        # A name and consent are never optional: a blank is never consent.
        required=True if rules.always_required else table.boolean("required", True),
        **rules.load(table),
    )
    table.done()
    return question


def _load_questions(path: Path) -> tuple[Question, ...]:
    table = read_toml(path)
    questions = _questions_of(table)
    table.done()
    return questions


def _questions_of(table: Table) -> tuple[Question, ...]:
    questions = tuple(_load_question(q) for q in table.tables("question", "question"))
    if not questions:
        raise table.fail("has no [[question]]")
    ids = [question.id for question in questions]
    duplicate = next((id_ for id_ in ids if ids.count(id_) > 1), None)
    if duplicate:
        raise table.fail(f"question id '{duplicate}' is used twice")
    for required in ("name", "consent"):
        if not any(question.kind == required for question in questions):
            raise table.fail(f"needs a question of kind '{required}'")
    return questions


def _load_condition(table: Table, questions: dict[str, Question]) -> Condition:
    question_id = table.text("question")
    question = questions.get(question_id)
    if question is None:
        raise table.fail(f"'question' names no question '{question_id}'")
    matched_by = KINDS[question.kind].matched_by
    if matched_by == "at_least":
        at_least = table.integer("at_least")
        if not question.minimum <= at_least <= question.maximum:
            raise table.fail(
                f"'at_least' must be between {question.minimum} and {question.maximum}"
            )
        return Condition(question_id, at_least=at_least)
    if matched_by != "any_of":
        raise table.fail(f"question '{question_id}' has no options to match")
    any_of = frozenset(table.strings("any_of"))
    unknown = any_of - {option.id for option in question.options}
    if unknown or not any_of:
        name = sorted(unknown)[0] if unknown else ""
        raise table.fail(f"'any_of' names no option '{name}' of '{question_id}'")
    return Condition(question_id, any_of=any_of)


def _load_types(table: Table) -> dict[str, str]:
    types_table = table.table("types")
    types = {}
    for type_id in types_table.data:
        if not IDENTIFIER.fullmatch(type_id) or len(type_id) > MOST_TYPE_ID:
            raise types_table.fail(
                f"type id {type_id!r} must be up to {MOST_TYPE_ID} lower-case letters, "
                "digits, _ or -")
        type_table = types_table.table(type_id)
        types[type_id] = type_table.text("name")
        type_table.done()
    if not types:
        raise types_table.fail("names no massage type")
    return types


def _load_decisions(
    table: Table, questions: tuple[Question, ...], types: dict[str, str], health_notice: str
) -> Rules:
    """A file's [recommend] and [[flag]] rules over its questions."""
    by_id = {question.id: question for question in questions}
    recommend = table.table("recommend")
    default_type = recommend.text("default")

    def known_type(where: Table, type_id: str) -> str:
        if type_id not in types:
            raise where.fail(f"'{type_id}' is not one of the [types] in {RULES_FILE}")
        return type_id

    known_type(recommend, default_type)
    rules = []
    for rule in recommend.tables("rule", "rule", []):
        when = _load_condition(rule, by_id)
        rules.append(RecommendRule(when, known_type(rule, rule.text("type")), rule.text("why")))
        rule.done()
    default_why = recommend.text("why")
    recommend.done()

    flags = []
    for flag in table.tables("flag", "flag", []):
        kind = flag.text("kind")
        if kind not in FLAG_KINDS:
            raise flag.fail(f"'kind' must be one of {', '.join(FLAG_KINDS)}, not {kind!r}")
        when = _load_condition(flag, by_id)
        flags.append(FlagRule(flag.ident("id"), kind, when, flag.text("staff")))
        flag.done()
    return Rules(types, default_type, default_why, tuple(rules), tuple(flags), health_notice)


def _load_rules(path: Path, questions: tuple[Question, ...]) -> Rules:
    table = read_toml(path)
    types = _load_types(table)
    notice = table.table("notice")
    health_notice = notice.text("health")
    notice.done()
    rules = _load_decisions(table, questions, types, health_notice)
    if "progress" in table.data:
        progress = table.table("progress")
        meaningful = Meaningful(progress.integer("meaningful_points"),
                                progress.integer("meaningful_percent"))
        if not 1 <= meaningful.points <= 10:
            raise progress.fail("'meaningful_points' must be from 1 to 10")
        if not 1 <= meaningful.percent <= 100:
            raise progress.fail("'meaningful_percent' must be from 1 to 100")
        progress.done()
        rules = replace(rules, meaningful=meaningful)
    table.done()
    return rules


def _load_followup(path: Path, first_visit: tuple[Question, ...], rules: Rules) -> FollowUp:
    """followup.toml: its questions, then its [recommend] and [[flag]] rules."""
    table = read_toml(path)
    questions = _questions_of(table)
    first = {question.id: question for question in first_visit}
    for question in questions:
        # Staff read both visits under one set of question ids: an id shared
        # with the first visit must mean the same kind of answer.
        same = first.get(question.id)
        if same is not None and same.kind != question.kind:
            raise table.fail(
                f"question '{question.id}' is a '{question.kind}' here but a '{same.kind}' in "
                f"{QUESTIONNAIRE_FILE}: give it another id")
    followup = FollowUp(questions, _load_decisions(table, questions, rules.types,
                                                   rules.health_notice))
    table.done()
    return followup


def load_content(folder: Path | None = None) -> Content:
    """Read and check every content file in `folder`.

    Raises:
        ContentError: naming the first file that is missing or wrong.
    """
    folder = Path(folder) if folder is not None else default_content_dir()
    if not folder.is_dir():
        raise ContentError(folder, "is not a folder")
    walkthrough = _load_walkthrough(folder / WALKTHROUGH_FILE)
    questions = _load_questions(folder / QUESTIONNAIRE_FILE)
    rules = _load_rules(folder / RULES_FILE, questions)
    followup_path = folder / FOLLOWUP_FILE
    followup = (_load_followup(followup_path, questions, rules)
                if followup_path.exists() else None)
    return Content(folder, walkthrough, questions, rules, followup)


# -- One questionnaire, many languages ---------------------------------------------


def _question_shape(question: Question) -> tuple[object, ...]:
    return (question.kind, question.required, tuple(option.id for option in question.options),
            question.exclusive, question.minimum, question.maximum)


def _rules_shape(rules: Rules) -> tuple[object, ...]:
    return (rules.default_type, tuple((rule.when, rule.type) for rule in rules.recommend),
            tuple((flag.id, flag.kind, flag.when) for flag in rules.flags), rules.meaningful)


def _same_ids(ours: list[str], theirs: list[str], what: str, path: Path, language: str,
              original: Path) -> None:
    """Every id of `ours` in `theirs` and no other: else an error naming the first."""
    missing = next((id_ for id_ in ours if id_ not in theirs), None)
    if missing is not None:
        raise ContentError(path, f"in '{language}', {what} '{missing}' is missing "
                                 f"(it is in {original})")
    extra = next((id_ for id_ in theirs if id_ not in ours), None)
    if extra is not None:
        raise ContentError(path, f"in '{language}', {what} '{extra}' is not in {original}")


def _same_questions(default: tuple[Question, ...], other: tuple[Question, ...], path: Path,
                    language: str, original: Path) -> None:
    ours, theirs = [q.id for q in default], [q.id for q in other]
    _same_ids(ours, theirs, "question", path, language, original)
    if theirs != ours:
        raise ContentError(path, f"in '{language}', the questions are not in the order of "
                                 f"{original}")
    for question, translated in zip(default, other, strict=True):
        if translated.kind != question.kind:
            raise ContentError(path, f"in '{language}', question '{question.id}' is a "
                                     f"'{translated.kind}', but a '{question.kind}' in {original}")
        _same_ids([option.id for option in question.options],
                  [option.id for option in translated.options],
                  f"question '{question.id}': option", path, language, original)
        same_documents(question.documents, translated.documents, path, language, original)
        if _question_shape(translated) != _question_shape(question):
            raise ContentError(path, f"in '{language}', question '{question.id}' differs from "
                                     f"{original} (its options' order, 'exclusive', 'required', "
                                     "'min' or 'max')")


def _same_rules(default: Rules, other: Rules, path: Path, language: str, original: Path) -> None:
    _same_ids(list(default.types), list(other.types), "massage type", path, language, original)
    _same_ids([flag.id for flag in default.flags], [flag.id for flag in other.flags], "flag",
              path, language, original)
    if _rules_shape(other) != _rules_shape(default):
        raise ContentError(path, f"in '{language}', the [recommend], [[flag]] or [progress] "
                                 f"rules differ from {original}: only their words may change")


def load_language(folder: Path, language: str, default: Content) -> Content:
    """The content in another language than the clinic's own, read and
    checked against it (`same_shape`).

    Raises:
        ContentError: naming the language, the file and the place.
    """
    try:
        content = load_content(folder)
    except ContentError as error:
        if error.problem.startswith(f"in '{language}'"):
            raise
        raise ContentError(error.path, f"in '{language}', {error.problem}") from None
    same_shape(default, content, language)
    return content


def same_shape(default: Content, other: Content, language: str) -> None:
    """Check that `other` (the content in `language`) asks the same questions,
    with the same ids, options and rules, as the clinic's own `default`:
    records hold ids, and staff read them in the clinic's own language.

    Raises:
        ContentError: naming the language, the file and the id that differ.
    """
    folder, original = other.folder, default.folder
    if len(other.walkthrough.pages) != len(default.walkthrough.pages):
        raise ContentError(folder / WALKTHROUGH_FILE, (
            f"in '{language}', {len(other.walkthrough.pages)} pages, but "
            f"{len(default.walkthrough.pages)} in {original / WALKTHROUGH_FILE}"))
    _same_questions(default.questions, other.questions, folder / QUESTIONNAIRE_FILE, language,
                    original / QUESTIONNAIRE_FILE)
    _same_rules(default.rules, other.rules, folder / RULES_FILE, language, original / RULES_FILE)
    if (default.followup is None) != (other.followup is None):
        raise ContentError(folder / FOLLOWUP_FILE, (
            f"in '{language}', {FOLLOWUP_FILE} must be there exactly when it is in {original}"))
    if default.followup is not None and other.followup is not None:
        _same_questions(default.followup.questions, other.followup.questions,
                        folder / FOLLOWUP_FILE, language, original / FOLLOWUP_FILE)
        _same_rules(default.followup.rules, other.followup.rules, folder / FOLLOWUP_FILE,
                    language, original / FOLLOWUP_FILE)
