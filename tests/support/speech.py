"""A stand-in for espeak-ng in Pilot tests: the Speaker, with every call
recorded and no process started."""

from __future__ import annotations

from kiosk.speech import Speaker


class RecordingSpeaker(Speaker):
    def __init__(self) -> None:
        super().__init__(command="espeak-ng-not-run")
        self.said: list[tuple[str, str, int]] = []
        """(text, language, volume) for each time it was asked to speak."""
        self.stops = 0
        self.talking = False

    def say(self, text: str, language: str) -> None:
        with self._lock:
            self.talking = False
            self.last = (text, language)
            self.said.append((text, language, self.volume))
            self.talking = True

    def _stop(self) -> None:  # Under the lock, from stop(), forget() and say().
        self.stops += 1
        self.talking = False

    @property
    def speaking(self) -> bool:
        return self.talking
