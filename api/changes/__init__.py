"""The change feed: recorded with each write, read by partners and webhooks."""
