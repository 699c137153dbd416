"""Sign-in, tokens, principals, roles and partner scoping."""
