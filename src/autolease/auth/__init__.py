"""Staff users with roles, SP API keys and access tokens."""
