"""Decisions: the policy that turns stage findings into approve / refer / decline."""
