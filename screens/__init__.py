"""The kiosk's Textual screens, one module each."""

from pathlib import Path

from screens.questionnaire import QuestionnaireScreen
from screens.result import ResultScreen
from screens.save_failed import SaveFailedScreen
from screens.walkthrough import WalkthroughScreen
from screens.welcome import WelcomeScreen

STYLESHEET = Path(__file__).parent / "kiosk.tcss"
"""The one stylesheet every screen shares."""

__all__ = [
    "STYLESHEET",
    "QuestionnaireScreen",
    "ResultScreen",
    "SaveFailedScreen",
    "WalkthroughScreen",
    "WelcomeScreen",
]
