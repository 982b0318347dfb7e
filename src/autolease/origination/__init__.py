"""Application lifecycle: intake, the decision pipeline, decisions."""
