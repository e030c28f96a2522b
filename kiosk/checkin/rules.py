"""Recommendation and front-desk flags: pure functions of the answers."""

from __future__ import annotations

from typing import Any

from kiosk.checkin.record import Answers, Flag, Recommendation
from kiosk.content.model import Condition, Rules


def matches(condition: Condition, answers: Answers) -> bool:
    """Whether the answer to the condition's question meets it."""
    answer: Any = answers.get(condition.question)
    if condition.at_least is not None:
        return isinstance(answer, int) and answer >= condition.at_least
    if isinstance(answer, list):
        return bool(condition.any_of.intersection(answer))
    return answer in condition.any_of


def recommend(rules: Rules, answers: Answers) -> Recommendation:
    """The first matching rule's massage type, or the default."""
    for rule in rules.recommend:
        if matches(rule.when, answers):
            return Recommendation(rule.type, rules.types[rule.type], rule.why)
    return Recommendation(
        rules.default_type, rules.types[rules.default_type], rules.default_why
    )


def flags(rules: Rules, answers: Answers) -> tuple[Flag, ...]:
    """Every flag whose condition the answers meet, in the rules' order."""
    return tuple(
        Flag(rule.id, rule.kind, rule.when.question, rule.staff)
        for rule in rules.flags
        if matches(rule.when, answers)
    )


def needs_front_desk(found: tuple[Flag, ...]) -> bool:
    """Whether the client should be asked to see the front desk first."""
    return any(flag.kind == "health" for flag in found)
