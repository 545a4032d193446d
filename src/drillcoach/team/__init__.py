"""The team layer: the workspace, assignments, events in the workspace, and sync."""
