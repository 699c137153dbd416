"""The anonymous public summary for residents."""
