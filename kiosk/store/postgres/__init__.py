"""The PostgreSQL store: one database shared by a clinic's machines."""


class DatabaseError(Exception):
    """The database can't be used; the message is one line for the user."""
