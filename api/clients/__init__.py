"""API clients: partner systems using the client-credentials grant (admin only)."""
