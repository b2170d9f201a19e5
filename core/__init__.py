"""Small shared pieces: the one clock, statuses and severities."""
