"""Decisions: versioned JDM policies (zen-engine), decision records and replay, review.

Pure: ``jdm`` (documents, hashes), ``engine`` (zen-engine call path), ``inputs`` (the policy
input mapping), ``cases``, ``files``, ``catalog``, ``split``, ``stage`` (``PolicyStage``),
``replay``, ``settings``. See docs/decision.md.
"""
