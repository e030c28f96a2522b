"""The day's appointments: read from what booking systems export, matched to arrivals privately."""
