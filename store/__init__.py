"""alert-matrix's own database: alert state, check runs, the error log, the outbox."""
