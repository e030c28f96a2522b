"""The day files' own machinery: parts, quarantine, pending, index, crashes, power cuts."""
