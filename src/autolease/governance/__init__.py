"""Model and policy governance: model stages in the store, maker-checker changes, the gate."""
