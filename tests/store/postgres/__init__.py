"""PostgreSQL's own machinery: schema, roles, LISTEN, delivery."""
