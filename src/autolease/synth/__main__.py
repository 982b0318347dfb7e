"""``python -m autolease.synth``."""

from autolease.synth.cli import app

app(prog_name="autolease synth")
