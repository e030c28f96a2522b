"""The `kiosk` command line: one module per group of commands."""

from kiosk.cli.command import main

__all__ = ["main"]
