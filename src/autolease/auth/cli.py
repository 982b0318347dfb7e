from __future__ import annotations

import typer

from autolease.auth.principal import Role
from autolease.cli_support import console, runtime_scope, system_actor, transaction

app = typer.Typer(help="Staff users.", no_args_is_help=True)


@app.command("create")
def create(
    username: str,
    role: Role,
    display_name: str = typer.Option(..., "--display-name"),
    sp_code: str | None = typer.Option(None, "--sp"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a staff user (admin, risk_analyst, reviewer, or sp_user with --sp)."""
    from autolease.audit import service as audit_service
    from autolease.auth import service
    from autolease.auth.schemas import UserCreate

    data = UserCreate(
        username=username, display_name=display_name, role=role, password=password, sp_code=sp_code
    )
    with runtime_scope() as runtime, transaction(runtime) as session:
        actor = system_actor(runtime)
        service.create_user(
            session,
            username=data.username,
            display_name=data.display_name,
            role=data.role,
            password=data.password,
            sp_code=data.sp_code,
            at=actor.at,
        )
        audit_service.log(
            session, actor, "user.created", entity_type="staff_user", entity_id=username
        )
    console.print(f"created {role.value} {username}")
