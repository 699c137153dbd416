"""The forecast per quarter (income per scheme, costs per category, balance, reserve) and
the scenarios compared with it."""
