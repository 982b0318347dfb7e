"""Model-honesty benchmark sections: one module per model family."""
