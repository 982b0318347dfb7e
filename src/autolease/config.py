"""Settings: one pydantic-settings object built from small nested sections.

Nothing is built at import. `get_settings()` reads the environment (prefix `AUTOLEASE_`,
nested sections with `__`, e.g. `AUTOLEASE_DB__URL`) and `.env`; tests build `Settings(...)`.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from autolease.channel.settings import ChannelSettings
from autolease.contract.settings import ContractSettings
from autolease.credit.settings import CreditSettings
from autolease.dealer.origins import canonical_origin
from autolease.decision.settings import DecisionSettings
from autolease.documents.settings import DocumentSettings
from autolease.fraud.settings import FraudSettings
from autolease.identity.biometrics.settings import BiometricsSettings
from autolease.identity.providers.settings import IdentityProviderSettings
from autolease.portfolio.settings import PortfolioSettings
from autolease.review.settings import ReviewSettings
from autolease.vehicle.settings import VehicleSettings
from autolease.web.settings import WebSettings
from autolease.webhooks.settings import WebhookSettings

DEFAULT_DATA_DIR = Path("var")


class DatabaseSettings(BaseModel):
    """Where the store lives. `url` wins; otherwise SQLite at `sqlite_path`."""

    url: str | None = None
    sqlite_path: Path = DEFAULT_DATA_DIR / "autolease.db"
    echo: bool = False
    pool_size: int = 10

    @property
    def type(self) -> Literal["sqlite", "postgres"]:
        return "postgres" if self.resolved_url().startswith("postgresql") else "sqlite"

    def resolved_url(self) -> str:
        if self.url:
            return self.url
        return f"sqlite:///{self.sqlite_path}"


class LoginThrottleSettings(BaseModel):
    """Failed logins allowed per username and per client IP within `window_seconds`; the
    failure that reaches a maximum locks that username or IP out for `lockout_seconds`."""

    max_failures_per_user: int = Field(default=5, ge=1)
    max_failures_per_ip: int = Field(default=20, ge=1)
    window_seconds: int = Field(default=900, ge=1)
    lockout_seconds: int = Field(default=900, ge=1)


class SecuritySettings(BaseModel):
    """Keys for personal data at rest.

    `data_keys` maps a key id to a base64 AES-256 key; `active_key_id` encrypts new data and
    every listed key can still decrypt, so keys rotate without rewriting old rows at once.
    When no keys are given, they are read from (or created in) `keyfile`.
    """

    data_keys: dict[str, SecretStr] = Field(default_factory=dict)
    active_key_id: str | None = None
    blind_index_key: SecretStr | None = None
    keyfile: Path = DEFAULT_DATA_DIR / "keys.json"
    token_ttl_minutes: int = 8 * 60
    login_throttle: LoginThrottleSettings = Field(default_factory=LoginThrottleSettings)

    def resolved(self) -> ResolvedKeys:
        if not self.data_keys and self.blind_index_key is None:
            return load_or_create_keyfile(self.keyfile)
        if not self.data_keys or self.blind_index_key is None:
            raise ValueError("give both security.data_keys and security.blind_index_key or neither")
        if self.active_key_id is None and len(self.data_keys) > 1:
            raise ValueError("security.active_key_id is required when there are several keys")
        active = self.active_key_id or next(iter(self.data_keys))
        keys = {kid: _b64(v.get_secret_value()) for kid, v in self.data_keys.items()}
        return ResolvedKeys(keys, active, _b64(self.blind_index_key.get_secret_value()))


KIB = 1024


class ApiSettings(BaseModel):
    """The HTTP server. Body limits (bytes) are enforced by `request_guard` before parsing:
    `max_body_bytes` for every route, `max_sample_body_bytes` where biometric samples travel
    (`api.carries_samples`)."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = Field(64 * KIB, ge=KIB)
    max_sample_body_bytes: int = Field(32 * KIB * KIB, ge=KIB)
    # gc.freeze() at start-up (see `app.freeze_startup_heap`); off where many short-lived
    # apps share one process, as in the tests.
    freeze_startup_heap: bool = True
    # Requests a minute per SP API key (0: no limit), `key_burst` of them at once; kept per
    # worker process (`auth/rate_limit.py`). Over it: 429 with Retry-After.
    key_requests_per_minute: int = Field(0, ge=0)
    key_burst: int = Field(20, ge=1)
    # Web origins allowed for every SP (CORS), besides each SP's own list (`cors.py`).
    cors_origins: list[str] = Field(default_factory=list)

    @field_validator("cors_origins")
    @classmethod
    def _canonical_origins(cls, values: list[str]) -> list[str]:
        return [canonical_origin(v) for v in values]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AUTOLEASE_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    db: DatabaseSettings = Field(default_factory=DatabaseSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    log_level: str = "INFO"
    artifacts_dir: Path = Path("artifacts")
    vehicle: VehicleSettings = Field(default_factory=VehicleSettings)
    credit: CreditSettings = Field(default_factory=CreditSettings)
    contract: ContractSettings = Field(default_factory=ContractSettings)
    channel: ChannelSettings = Field(default_factory=ChannelSettings)
    portfolio: PortfolioSettings = Field(default_factory=PortfolioSettings)
    decision: DecisionSettings = Field(default_factory=DecisionSettings)
    fraud: FraudSettings = Field(default_factory=FraudSettings)
    identity_providers: IdentityProviderSettings = Field(default_factory=IdentityProviderSettings)
    biometrics: BiometricsSettings = Field(default_factory=BiometricsSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)

    @model_validator(mode="after")
    def _production_needs_explicit_keys(self) -> Settings:
        explicit = self.security.data_keys and self.security.blind_index_key is not None
        if self.environment == "production" and not explicit:
            raise ValueError(
                "production requires AUTOLEASE_SECURITY__DATA_KEYS and "
                "AUTOLEASE_SECURITY__BLIND_INDEX_KEY (no keyfile)"
            )
        return self


class ResolvedKeys:
    """Raw key bytes, resolved once at application start."""

    def __init__(self, data_keys: dict[str, bytes], active_key_id: str, blind_key: bytes):
        if active_key_id not in data_keys:
            raise ValueError(f"active key id {active_key_id!r} is not among the data keys")
        self.data_keys = data_keys
        self.active_key_id = active_key_id
        self.blind_key = blind_key


def _b64(value: str) -> bytes:
    raw = base64.b64decode(value)
    if len(raw) != 32:
        raise ValueError("keys must be 32 bytes, base64-encoded")
    return raw


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def load_or_create_keyfile(path: Path) -> ResolvedKeys:
    """Development default: a local key file, created with mode 0600 on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        content = {
            "active_key_id": "k1",
            "data_keys": {"k1": new_key()},
            "blind_index_key": new_key(),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(content, fh, indent=2)
    data = json.loads(path.read_text())
    keys = {kid: _b64(v) for kid, v in data["data_keys"].items()}
    return ResolvedKeys(keys, data["active_key_id"], _b64(data["blind_index_key"]))


@lru_cache
def get_settings() -> Settings:
    return Settings()
