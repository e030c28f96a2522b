"""Who may do what: the staff PIN and the audit log."""
