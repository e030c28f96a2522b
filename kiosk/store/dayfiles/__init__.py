"""The day-file store: TinyDB files in a kiosk's own data folder."""
