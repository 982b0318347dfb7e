"""Documents an SP uploads for an application: typed by content, encrypted at rest."""
