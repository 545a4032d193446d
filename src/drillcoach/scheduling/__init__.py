"""Scheduling: drilling days, rating rules, FSRS cards, the daily queue, recording and
sessions. The one place that uses ``fsrs`` is cards.py."""
