"""The command line (SPEC §3): one module per command, wired together in `cli.app`."""
