"""One module per channel type: its settings model and the class that sends (see
`notify.registry`)."""
