"""Time in a talk: the talk clock, the pace against a planned duration, and rehearsal timing."""
