"""When a change in pain over a series matters: at 2 points and 30% of the
first session's score (Farrar et al., Pain 2001), both from rules.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.model import ContentError, Meaningful, load_content, load_language
from kiosk.desk.progress import Session, change_sentence, crossed, pain_trend, worse
from tests.support.paths import ROOT

RULE = Meaningful(points=2, percent=30)


def series(*pains: int | None) -> list[Session]:
    return [Session(n, f"{n} Nov 2026", pain, "", "", "") for n, pain in enumerate(pains, 1)]


@pytest.mark.parametrize(("pains", "said", "meaningful"), [
    ((8, 6, 3), "Pain down 5 points (62%) since session 1: a meaningful improvement", True),
    ((10, 7), "Pain down 3 points (30%) since session 1: a meaningful improvement", True),
    ((6, 4), "Pain down 2 points (33%) since session 1: a meaningful improvement", True),
    ((7, 5), "Pain down 2 points (29%) since session 1: not a meaningful change yet", False),
    ((8, 7), "Pain down 1 point (12%) since session 1: not a meaningful change yet", False),
    ((4, 6), "Pain up 2 points (50%) since session 1: a meaningful worsening", True),
    ((9, 10), "Pain up 1 point (11%) since session 1: not a meaningful change", False),
    ((None, 5, 5), "Pain unchanged since session 2", False),
])
def test_the_thresholds_at_exactly_and_just_under(pains, said: str, meaningful: bool) -> None:
    change = pain_trend(series(*pains), RULE)
    assert change is not None and change_sentence(change) == said
    assert change.meaningful is meaningful
    assert worse(change) is (meaningful and change.points > 0)


def test_a_one_session_series_says_nothing_yet() -> None:
    assert pain_trend(series(7), RULE) is None and crossed(series(7), RULE) == set()


def test_the_chart_marks_each_session_past_the_threshold() -> None:
    assert crossed(series(8, 7, 5, 6, 3), RULE) == {3, 5}


def test_the_thresholds_come_from_rules_toml(tmp_path: Path) -> None:
    assert load_content().rules.meaningful == RULE
    import shutil

    clinic = tmp_path / "content"
    shutil.copytree(ROOT / "content", clinic)
    rules = clinic / "rules.toml"
    rules.write_text(rules.read_text().replace("meaningful_points = 2", "meaningful_points = 3"))
    assert load_content(clinic).rules.meaningful == Meaningful(3, 30)
    with pytest.raises(ContentError, match=r"\[progress\] rules differ"):
        load_language(clinic / "es", "es", load_content(clinic))
    rules.write_text(rules.read_text().replace("meaningful_points = 3", "meaningful_points = 0"))
    with pytest.raises(ContentError, match="'meaningful_points' must be from 1 to 10"):
        load_content(clinic)
