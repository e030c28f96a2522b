"""The check-in: the record, its answer checks, and the rules that read it."""
