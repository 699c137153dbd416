"""People who sign in to the dashboard (admin only)."""
