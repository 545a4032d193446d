"""Progress as plain data, computed from a rep's events and the drilling days, so the
same code summarises me from my store and any rep from synced events."""
