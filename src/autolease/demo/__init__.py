"""The demo: seed, serve, submit sample applications, summarise."""
