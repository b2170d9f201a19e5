"""Jobs: one evaluation cycle, delivery, and (in the daemon) their schedule."""
