"""drillcoach: spaced-repetition drills and coaching for sales teams, in the terminal."""

__version__ = "0.1.0"
