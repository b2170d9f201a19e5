"""The checks of the alert matrix: one pure module per alert (see `checks.registry`)."""
