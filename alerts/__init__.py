"""The alert lifecycle: from check results to alert state and the notifications it owes."""
