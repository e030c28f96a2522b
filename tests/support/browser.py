"""Headless Chromium on `kiosk serve`, for end-to-end tests.

The page draws the terminal on a canvas, so its text isn't in the DOM. A
script added before the page loads keeps every byte the kiosk sends over the
websocket; pyte (a terminal emulator) turns them back into the screen's
text. Taps are real mouse presses at the pixel of a cell, which xterm.js
passes to the kiosk as it would a finger's.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pyte
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.support.driven import DrivenScreen

# Keeps what the kiosk sends, and the size the page asks for.
HOOK = """
(() => {
  const Original = window.WebSocket;
  window.__kioskOut = [];
  window.WebSocket = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          window.__kioskOut.push(Array.from(new Uint8Array(event.data)));
        }
      });
    }
    send(data) {
      try {
        const message = JSON.parse(data);
        if (message[0] === "resize") window.__kioskSize = message[1];
      } catch (error) {}
      super.send(data);
    }
  };
})();
"""


class Browser(DrivenScreen):
    """One browser tab on the kiosk, read through pyte, tapped by mouse."""

    wait_limit_s = 30.0

    def __init__(self, url: str, width: int = 1000, height: int = 640) -> None:
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--hide-scrollbars",
                         f"--window-size={width},{height}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        self.driver = webdriver.Chrome(
            options=options, service=Service(shutil.which("chromedriver") or "chromedriver"))
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
        self.url = url
        self.screen: pyte.Screen | None = None
        self.stream = pyte.ByteStream()
        self.driver.get(url)

    def close(self) -> None:
        self.driver.quit()

    def _read(self) -> None:
        size = self.driver.execute_script("return window.__kioskSize || null")
        if size is None:
            return
        if self.screen is None:
            self.screen = pyte.Screen(size["width"], size["height"])
            self.stream.attach(self.screen)
        elif (self.screen.columns, self.screen.lines) != (size["width"], size["height"]):
            self.screen.resize(size["height"], size["width"])
        for chunk in self.driver.execute_script("return window.__kioskOut.splice(0)"):
            self.stream.feed(bytes(chunk))

    def lines(self) -> list[str]:
        self._read()
        return list(self.screen.display) if self.screen else []

    def tap_cell(self, column: int, row: int) -> None:
        """A mouse press and release on the middle of a cell, in pixels."""
        assert self.screen is not None
        box = self.driver.execute_script(
            "const r = document.querySelector('.xterm-screen').getBoundingClientRect();"
            "return [r.left, r.top, r.width, r.height];")
        left, top, width, height = box
        x = left + (column + 0.5) * width / self.screen.columns
        y = top + (row + 0.5) * height / self.screen.lines
        for kind in ("mousePressed", "mouseReleased"):
            self.driver.execute_cdp_cmd("Input.dispatchMouseEvent", {
                "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def requested_hosts(self) -> set[str]:
        """Every host the page has asked anything of, from Chromium's log."""
        import json

        hosts = set()
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] in ("Network.requestWillBeSent",
                                     "Network.webSocketCreated"):
                params = message["params"]
                url = params.get("request", {}).get("url") or params.get("url", "")
                parts = urlsplit(url)
                if parts.scheme not in ("data", "blob", "about", ""):
                    hosts.add(parts.hostname or "")
        return hosts
