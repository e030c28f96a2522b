"""Content: the clinic's TOML read into typed, checked objects; question kinds."""
