"""Building blocks shared by every domain: base schemas, pagination, ETags."""
