"""The apps in Pilot, and how each screen looks (snapshots)."""
