"""A synthetic Heemstede data set for development and demos (``opvang seed-demo``): no
real people.

``seed`` writes it (the entry point, with the demo users and their password); ``data``
(locations, people, stays, progress) and ``programme`` (activities, enrollments,
attendance, signals) build the rows, pure and seeded; ``finance`` files claims through
the claim service and adds expenses.
"""
