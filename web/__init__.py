"""The status page: the watchdog's picture in a browser (alerts, equity, its own health),
and the operator's ack / silence / unsilence. It reads the database and never runs a check;
actions go through `alerts.operator`, so the history is the CLI's."""
