"""The change feed: recorded with each write (``recorder``), read by partners
(``GET /changes``) and delivered by ``api.webhooks``."""
