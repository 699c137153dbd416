"""The capacity plan (planned changes per location, turned into facts on their day) and
the forecast's occupancy assumptions."""
