"""The admin's console pages: service providers, users, API keys and the audit trail."""
