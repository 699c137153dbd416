"""Partner events: facts pushed by partner systems (intake, transfer, departure, update)."""
