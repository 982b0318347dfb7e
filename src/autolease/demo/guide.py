"""What the demo prints after its summary: the staff logins and where to go next."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

USERS_FILE = "src/autolease/seeds/demo_users.yaml"


def print_next_steps(
    console: Console,
    users: Sequence[Mapping[str, Any]],
    *,
    base_url: str,
    serving: bool,
    serve_port: int | None = None,
) -> None:
    """Print the demo users, the URLs, how to get an SP key and how to stop and restart.

    ``users`` are the rows of the demo users file (``username``, ``role``, ``password`` and,
    for an SP user, ``sp_code``); their passwords are public and for the demo only.
    ``serve_port`` is the port to restart on (default: the one in ``base_url``).
    """
    console.print(_users_table(users))
    port = serve_port or base_url.rsplit(":", 1)[-1]
    sp_code = next((str(u["sp_code"]) for u in users if u.get("sp_code")), "SP-CODE")
    admin = next((u for u in users if u.get("role") == "admin"), None)
    steps = Table(
        title="Where to go next",
        title_justify="left",
        show_header=False,
        box=None,
        padding=(0, 2, 0, 0),
    )
    steps.add_column(style="bold")
    steps.add_column()
    steps.add_row("OpenAPI docs", f"{base_url}/docs")
    steps.add_row("Health", f"{base_url}/health")
    steps.add_row("API", f"{base_url}/v1/applications (POST to submit, GET to list)")
    steps.add_row(
        "SP's H5 pages", f"{base_url}/h5/  (an SP user's login; applications from a phone)"
    )
    if admin is not None:
        body = f'{{"username":"{admin["username"]}","password":"{admin["password"]}"}}'
        steps.add_row(
            "Staff token",
            f"curl -s -X POST {base_url}/v1/auth/token "
            f"-H 'content-type: application/json' -d '{body}'",
        )
    steps.add_row(
        "SP API key",
        f"autolease sp issue-key {sp_code}  (shown once; send it as "
        f"'Authorization: Bearer KEY'; admins can also POST {base_url}/v1/sps/{sp_code}/api-keys)",
    )
    steps.add_row("Stop", "Ctrl-C" if serving else "the API has stopped (--no-serve)")
    steps.add_row(
        "Restart",
        f"autolease serve --port {port}  (later `autolease demo` runs reuse the book and models)",
    )
    console.print(steps)


def _users_table(users: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title=f"Staff logins (demo only: {USERS_FILE})", title_justify="left")
    for column in ("username", "password", "role", "SP"):
        table.add_column(column)
    for user in users:
        table.add_row(
            str(user["username"]),
            str(user["password"]),
            str(user["role"]),
            str(user.get("sp_code") or ""),
        )
    return table
