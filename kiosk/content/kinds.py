"""Question kinds: the one registry of how each is loaded, checked, read back
and stored.

A new kind is a name in `QuestionKind`, a `case` in `_kind` below, and its
view in `screens.widgets.questions.VIEWS`; the type checker finds any `match`
that misses it, and a test fails if the two registries disagree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, assert_never, get_args

from kiosk.content.consent import ConsentDocument, load_documents
from kiosk.content.tomltable import Table
from kiosk.i18n import Msg, listed, msg, text

QuestionKind = Literal["name", "single", "multi", "scale", "consent"]
Matched = Literal["any_of", "at_least"]
"""How a rule's condition matches a kind's answer, if it can."""

FIRST_NAME_MAX = 30
NOT_ANSWERED = msg("Not answered")


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
    documents: tuple[ConsentDocument, ...] = ()
    """What a consent question asks the client to agree to, shown whole
    before its control (`documents = [...]`: content/consent/<id>.md)."""

    def option(self, option_id: str) -> Option:
        """The option with this id."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True)
class Kind:
    """Everything the domain does with one kind of question."""

    load: Callable[[Table], dict[str, Any]]
    """The kind's own fields of a `Question`, read from its content table."""
    empty: Callable[[Question], Any]
    """What the question holds before the client answers it."""
    problem: Callable[[Question, Any], Msg | None]
    """Why an answer can't be accepted yet, in the client's words; or None."""
    describe: Callable[[Question, Any], Msg]
    """An answer as a person reads it back (plain text, never markup)."""
    clean: Callable[[Question, Any], Any]
    """An answer as it is stored."""
    fits: Callable[[Question, Any], bool]
    """Whether a stored answer (or a blank) has a shape this question
    allows: checked when a check-in is saved and when it is read back."""
    matched_by: Matched | None = None
    always_required: bool = False
    """A blank is never an answer (a name; consent)."""


# -- Names ------------------------------------------------------------------------


def _name_character(character: str) -> bool:
    category = unicodedata.category(character)
    return category[0] in "LM" or character in " -'’."


def clean_name(first: str, last_initial: str) -> dict[str, str]:
    """The name as it is saved: NFC, spaces folded, the initial upper-case."""
    first = " ".join(unicodedata.normalize("NFC", first).split())
    initial = unicodedata.normalize("NFC", last_initial).strip().rstrip(".").upper()
    return {"first": first, "last_initial": initial}


def name_problems(first: str, last_initial: str) -> tuple[Msg | None, Msg | None]:
    """A friendly message for each name field that is not right, else None."""
    name = clean_name(first, last_initial)
    first, initial = name["first"], name["last_initial"]
    first_problem: Msg | None = None
    if not first:
        first_problem = msg("Please enter your first name.")
    elif len(first) > FIRST_NAME_MAX:
        first_problem = msg("Please keep it to {most} letters or fewer.", most=FIRST_NAME_MAX)
    elif not all(_name_character(c) for c in first) or not any(c.isalpha() for c in first):
        first_problem = msg(
            "Please use letters only (spaces, hyphens and apostrophes are fine).")
    initial_problem: Msg | None = None
    if not initial:
        initial_problem = msg("Please enter the first letter of your last name.")
    elif len(initial) != 1 or not initial.isalpha():
        initial_problem = msg("Just one letter, please.")
    return first_problem, initial_problem


def _name_parts(answer: Any) -> tuple[str, str]:
    if not isinstance(answer, Mapping):
        return "", ""
    return str(answer.get("first", "")), str(answer.get("last_initial", ""))


def _name_problem(question: Question, answer: Any) -> Msg | None:
    first, initial = name_problems(*_name_parts(answer))
    return first or initial


def _name_text(question: Question, answer: Any) -> Msg:
    name = clean_name(*_name_parts(answer))
    if not name["first"]:
        return NOT_ANSWERED
    return text(f"{name['first']} {name['last_initial']}.".strip())


# -- Choices ------------------------------------------------------------------------


def _load_options(table: Table) -> tuple[Option, ...]:
    options = []
    for option in table.tables("options", "option"):
        options.append(Option(option.ident("id"), option.text("label")))
        option.done()
    if len(options) < 2:
        raise table.fail("needs at least two options")
    ids = [option.id for option in options]
    duplicate = next((id_ for id_ in ids if ids.count(id_) > 1), None)
    if duplicate:
        raise table.fail(f"option id '{duplicate}' is used twice")
    return tuple(options)


def _load_single(table: Table) -> dict[str, Any]:
    return {"options": _load_options(table)}


def _load_multi(table: Table) -> dict[str, Any]:
    options = _load_options(table)
    exclusive = frozenset(table.strings("exclusive", []))
    unknown = exclusive - {option.id for option in options}
    if unknown:
        raise table.fail(f"'exclusive' names no option '{sorted(unknown)[0]}'")
    return {"options": options, "exclusive": exclusive}


def _load_scale(table: Table) -> dict[str, Any]:
    minimum, maximum = table.integer("min"), table.integer("max")
    if maximum <= minimum:
        raise table.fail("'max' must be greater than 'min'")
    if maximum - minimum > 20:
        raise table.fail("a scale may have at most 21 steps")
    return {"minimum": minimum, "maximum": maximum,
            "low": table.text("low", ""), "high": table.text("high", "")}


def _blank(question: Question, answer: Any) -> bool:
    return not question.required and answer in (None, [])


def _single_problem(question: Question, answer: Any) -> Msg | None:
    if _blank(question, answer) or (
            isinstance(answer, str) and answer in {option.id for option in question.options}):
        return None
    return msg("Please choose one answer.")


def _multi_problem(question: Question, answer: Any) -> Msg | None:
    if _blank(question, answer):
        return None
    if not answer or not isinstance(answer, list):
        return msg("Please choose at least one answer.")
    if not set(answer) <= {option.id for option in question.options}:
        return msg("Please choose from the answers shown.")
    return None


def _on_scale(question: Question, answer: Any) -> bool:
    number = isinstance(answer, int) and not isinstance(answer, bool)
    return number and question.minimum <= answer <= question.maximum


def _scale_problem(question: Question, answer: Any) -> Msg | None:
    if _blank(question, answer) or _on_scale(question, answer):
        return None
    return msg("Please choose a number from {low} to {high}.", low=question.minimum,
               high=question.maximum)


def _unanswered(describe: Callable[[Question, Any], Msg]) -> Callable[[Question, Any], Msg]:
    def said(question: Question, answer: Any) -> Msg:
        return NOT_ANSWERED if answer is None or answer == [] else describe(question, answer)

    return said


def _in_option_order(question: Question, answer: Any) -> list[str]:
    # In the order the questionnaire lists them, whatever the tap order.
    picked = answer if isinstance(answer, list) else []
    return [option.id for option in question.options if option.id in picked]


# -- Consent ------------------------------------------------------------------------


def _consent_problem(question: Question, answer: Any) -> Msg | None:
    if answer is True:
        return None
    return msg("We can only treat you with your consent. "
               "Tap the box to agree, or ask the front desk.")


def _unchanged(question: Question, answer: Any) -> Any:
    return answer


def _option_ids(question: Question) -> set[str]:
    return {option.id for option in question.options}


def _fits_name(question: Question, answer: Any) -> bool:
    return isinstance(answer, Mapping) and set(answer) <= {"first", "last_initial"} and all(
        isinstance(part, str) for part in answer.values())


def _fits_single(question: Question, answer: Any) -> bool:
    return answer is None or (isinstance(answer, str) and answer in _option_ids(question))


def _fits_multi(question: Question, answer: Any) -> bool:
    return isinstance(answer, list) and all(
        isinstance(part, str) and part in _option_ids(question) for part in answer)


def _fits_scale(question: Question, answer: Any) -> bool:
    return answer is None or _on_scale(question, answer)


# -- The registry ---------------------------------------------------------------------


def _kind(kind: QuestionKind) -> Kind:
    match kind:
        case "name":
            return Kind(
                load=lambda table: {},
                empty=lambda question: {"first": "", "last_initial": ""},
                problem=_name_problem,
                describe=_name_text,
                clean=lambda question, answer: clean_name(*_name_parts(answer)),
                fits=_fits_name,
                always_required=True,
            )
        case "single":
            return Kind(
                load=_load_single,
                empty=lambda question: None,
                problem=_single_problem,
                describe=_unanswered(lambda question, answer: text(question.option(answer).label)),
                clean=_unchanged,
                fits=_fits_single,
                matched_by="any_of",
            )
        case "multi":
            return Kind(
                load=_load_multi,
                empty=lambda question: [],
                problem=_multi_problem,
                describe=_unanswered(lambda question, answer: listed(
                    text(question.option(option_id).label) for option_id in answer)),
                clean=_in_option_order,
                fits=_fits_multi,
                matched_by="any_of",
            )
        case "scale":
            return Kind(
                load=_load_scale,
                empty=lambda question: None,
                problem=_scale_problem,
                describe=_unanswered(lambda question, answer: msg(
                    "{value} out of {most}", value=answer, most=question.maximum)),
                clean=_unchanged,
                fits=_fits_scale,
                matched_by="at_least",
            )
        case "consent":
            return Kind(
                load=lambda table: {"agree": table.text("agree"),
                                    "documents": load_documents(table)},
                empty=lambda question: False,
                problem=_consent_problem,
                describe=lambda question, answer: (
                    msg("Yes, agreed") if answer is True else msg("Not given")),
                clean=lambda question, answer: answer is True,
                fits=lambda question, answer: isinstance(answer, bool),
                always_required=True,
            )
        case _:
            assert_never(kind)


QUESTION_KINDS: tuple[QuestionKind, ...] = get_args(QuestionKind)
KINDS: Mapping[QuestionKind, Kind] = {kind: _kind(kind) for kind in QUESTION_KINDS}
"""Every question kind the content may use."""


def kind_of(question: Question) -> Kind:
    """The registry entry for this question's kind."""
    return KINDS[question.kind]
