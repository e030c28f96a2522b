"""Load the clinic-editable content folder into typed, validated objects."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

WALKTHROUGH_FILE = "walkthrough.toml"
QUESTIONNAIRE_FILE = "questionnaire.toml"
RULES_FILE = "rules.toml"
CONTENT_FILES = (WALKTHROUGH_FILE, QUESTIONNAIRE_FILE, RULES_FILE)

QuestionKind = Literal["name", "single", "multi", "scale", "consent"]
QUESTION_KINDS: tuple[QuestionKind, ...] = ("name", "single", "multi", "scale", "consent")
FlagKind = Literal["health", "desk"]
FLAG_KINDS: tuple[FlagKind, ...] = ("health", "desk")


class ContentError(Exception):
    """A content file is missing or wrong; the message names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        """The file at fault."""
        self.problem = problem
        """What is wrong with it, in plain words."""


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
class Option:
    """One answer a client can tap."""

    id: str
    label: str


@dataclass(frozen=True)
class Question:
    """One check-in question, as the clinic wrote it."""

    id: str
    kind: QuestionKind
    short: str
    """Label on the review page and the staff screens."""
    prompt: str
    help: str = ""
    required: bool = True
    options: tuple[Option, ...] = ()
    exclusive: frozenset[str] = frozenset()
    """Options that clear every other option of a multi question."""
    minimum: int = 0
    maximum: int = 10
    low: str = ""
    high: str = ""
    agree: str = ""
    """The label of the consent control."""

    def option(self, option_id: str) -> Option:
        """The option with this id."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


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
class Rules:
    """Massage types, the recommendation rules and the flag rules."""

    types: dict[str, str]
    """Type id to display name, in the order the file gives them."""
    default_type: str
    default_why: str
    recommend: tuple[RecommendRule, ...]
    flags: tuple[FlagRule, ...]
    health_notice: str


@dataclass(frozen=True)
class Content:
    """Everything the kiosk shows or decides that a clinic can edit."""

    folder: Path
    walkthrough: Walkthrough
    questions: tuple[Question, ...]
    rules: Rules

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def default_content_dir() -> Path:
    """The content shipped with the kiosk: inside the wheel, or ./content."""
    package = Path(__file__).resolve().parent
    bundled = package / "_content"
    return bundled if bundled.is_dir() else package.parent / "content"


class _Table:
    """A TOML table read with checks that name the file and the place."""

    def __init__(self, path: Path, data: dict[str, Any], where: str = "") -> None:
        self.path = path
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def fail(self, problem: str) -> ContentError:
        place = f"{self.where}: " if self.where else ""
        return ContentError(self.path, place + problem)

    def _get(self, key: str, kind: type, noun: str, default: Any) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                raise self.fail(f"'{key}' is missing")
            return default
        value = self.data[key]
        # bool is an int in Python; TOML keeps them apart, and so do we.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(f"'{key}' must be {noun}, not {value!r}")
        return value

    def text(self, key: str, default: Any = ...) -> str:
        value = self._get(key, str, "text", default)
        if default is ... and not value.strip():
            raise self.fail(f"'{key}' is empty")
        return value

    def integer(self, key: str, default: Any = ...) -> int:
        return self._get(key, int, "a whole number", default)

    def boolean(self, key: str, default: Any = ...) -> bool:
        return self._get(key, bool, "true or false", default)

    def strings(self, key: str, default: Any = ...) -> list[str]:
        value = self._get(key, list, "a list of texts", default)
        if not all(isinstance(item, str) for item in value):
            raise self.fail(f"'{key}' must be a list of texts")
        return value

    def tables(self, key: str, noun: str, default: Any = ...) -> Iterator[_Table]:
        value = self._get(key, list, f"a list of {noun}s", default)
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise self.fail(f"{noun} {number} of '{key}' must be a table")
            yield _Table(self.path, item, self._join(f"{noun} {number}"))

    def table(self, key: str) -> _Table:
        value = self._get(key, dict, "a table", ...)
        return _Table(self.path, value, self._join(f"[{key}]"))

    def _join(self, where: str) -> str:
        return f"{self.where}, {where}" if self.where else where

    def done(self) -> None:
        """Reject keys nobody read: a typo must not pass silently."""
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(f"unknown key '{unknown[0]}'")


def _read_toml(path: Path) -> _Table:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, "the file is missing") from None
    except OSError as error:
        raise ContentError(path, f"cannot be read ({error.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ContentError(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"is not valid TOML ({error})") from None
    return _Table(path, data)


def _load_walkthrough(path: Path) -> Walkthrough:
    table = _read_toml(path)
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


def _load_options(question: _Table, kind: str) -> tuple[Option, ...]:
    if kind not in ("single", "multi"):
        return ()
    options = []
    for option in question.tables("options", "option"):
        options.append(Option(option.text("id"), option.text("label")))
        option.done()
    if len(options) < 2:
        raise question.fail("needs at least two options")
    ids = [option.id for option in options]
    duplicate = next((id_ for id_ in ids if ids.count(id_) > 1), None)
    if duplicate:
        raise question.fail(f"option id '{duplicate}' is used twice")
    return tuple(options)


def _load_question(table: _Table) -> Question:
    kind = table.text("kind")
    if kind not in QUESTION_KINDS:
        raise table.fail(
            f"'kind' must be one of {', '.join(QUESTION_KINDS)}, not {kind!r}"
        )
    options = _load_options(table, kind)
    fields: dict[str, Any] = {}
    if kind == "multi":
        exclusive = frozenset(table.strings("exclusive", []))
        unknown = exclusive - {option.id for option in options}
        if unknown:
            raise table.fail(f"'exclusive' names no option '{sorted(unknown)[0]}'")
        fields["exclusive"] = exclusive
    if kind == "scale":
        fields.update(
            minimum=table.integer("min"),
            maximum=table.integer("max"),
            low=table.text("low", ""),
            high=table.text("high", ""),
        )
        if fields["maximum"] <= fields["minimum"]:
            raise table.fail("'max' must be greater than 'min'")
        if fields["maximum"] - fields["minimum"] > 20:
            raise table.fail("a scale may have at most 21 steps")
    if kind == "consent":
        fields["agree"] = table.text("agree")
    question = Question(
        id=table.text("id"),
        kind=kind,
        short=table.text("short"),
        prompt=table.text("prompt"),
        help=table.text("help", ""),
        # A name and consent are never optional: a blank is never consent.
        required=True if kind in ("name", "consent") else table.boolean("required", True),
        options=options,
        **fields,
    )
    table.done()
    return question


def _load_questions(path: Path) -> tuple[Question, ...]:
    table = _read_toml(path)
    questions = tuple(_load_question(q) for q in table.tables("question", "question"))
    table.done()
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


def _load_condition(table: _Table, questions: dict[str, Question]) -> Condition:
    question_id = table.text("question")
    question = questions.get(question_id)
    if question is None:
        raise table.fail(f"'question' names no question '{question_id}'")
    if question.kind == "scale":
        at_least = table.integer("at_least")
        if not question.minimum <= at_least <= question.maximum:
            raise table.fail(
                f"'at_least' must be between {question.minimum} and {question.maximum}"
            )
        return Condition(question_id, at_least=at_least)
    if question.kind not in ("single", "multi"):
        raise table.fail(f"question '{question_id}' has no options to match")
    any_of = frozenset(table.strings("any_of"))
    unknown = any_of - {option.id for option in question.options}
    if unknown or not any_of:
        name = sorted(unknown)[0] if unknown else ""
        raise table.fail(f"'any_of' names no option '{name}' of '{question_id}'")
    return Condition(question_id, any_of=any_of)


def _load_rules(path: Path, questions: tuple[Question, ...]) -> Rules:
    by_id = {question.id: question for question in questions}
    table = _read_toml(path)
    types_table = table.table("types")
    types = {}
    for type_id in types_table.data:
        type_table = types_table.table(type_id)
        types[type_id] = type_table.text("name")
        type_table.done()
    if not types:
        raise types_table.fail("names no massage type")

    recommend = table.table("recommend")
    default_type = recommend.text("default")

    def known_type(where: _Table, type_id: str) -> str:
        if type_id not in types:
            raise where.fail(f"'{type_id}' is not one of the [types]")
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
        flags.append(FlagRule(flag.text("id"), kind, when, flag.text("staff")))
        flag.done()
    notice = table.table("notice")
    health_notice = notice.text("health")
    notice.done()
    table.done()
    return Rules(types, default_type, default_why, tuple(rules), tuple(flags), health_notice)


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
    return Content(folder, walkthrough, questions, rules)
