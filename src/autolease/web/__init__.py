"""The shared foundation of the server-rendered pages (the staff console, the SP's H5 pages):
browser sessions, CSRF, templates, translations and the static files (docs/web.md)."""
