"""Webhooks: the change feed POSTed to partner systems' receivers.

``router``, ``schemas`` and ``service`` are the subscriptions; ``worker`` delivers
(``outbox`` turns committed changes into deliveries); ``receivers`` vets and pins the
addresses a delivery may go to; ``signing`` signs them as Standard Webhooks do.
"""
