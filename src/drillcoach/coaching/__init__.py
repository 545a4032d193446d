"""Coaching: the rep's vision, coaching agreement, commitments, debriefs and sales DNA, and
the manager's 1:1 agenda built from them."""
