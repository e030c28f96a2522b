"""Widgets the kiosk's screens are built from."""

from screens.widgets.choice import Choice, ChoiceGrid
from screens.widgets.qrcode import QRCode
from screens.widgets.questions import QuestionView, question_view
from screens.widgets.topbar import TopBar

__all__ = ["Choice", "ChoiceGrid", "QRCode", "QuestionView", "TopBar", "question_view"]
