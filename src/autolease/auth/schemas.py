from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from autolease.auth.principal import Role


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    role: Role


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[a-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=100)
    role: Role
    password: str = Field(min_length=12, max_length=200)
    sp_code: str | None = None

    @model_validator(mode="after")
    def _sp_users_belong_to_an_sp(self) -> UserCreate:
        if (self.role == Role.SP_USER) != (self.sp_code is not None):
            raise ValueError("sp_code is required for sp_user and forbidden for other roles")
        return self


class UserRead(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    sp_code: str | None
    active: bool


class UserStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"active": False}]})

    active: bool = Field(
        description="false disables the user at once (no login; live tokens and browser "
        "sessions are revoked); true enables it again"
    )


class PrincipalRead(BaseModel):
    kind: str
    actor: str
    role: Role
    sp_code: str | None


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=100)


class ApiKeyIssued(BaseModel):
    """Returned once: the plaintext key is not stored and cannot be shown again."""

    api_key: str
    prefix: str
    label: str
    created_at: datetime


class ApiKeyRead(BaseModel):
    prefix: str
    label: str
    created_at: datetime
    revoked_at: datetime | None
