"""Channel use cases, split by concern. They flush and audit; they never commit."""
