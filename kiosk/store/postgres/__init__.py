"""The PostgreSQL store: one database shared by a clinic's machines."""
