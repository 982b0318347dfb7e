"""Tests for autolease.config: settings sections, environment reading and key resolution."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from autolease.config import (
    DatabaseSettings,
    ResolvedKeys,
    SecuritySettings,
    Settings,
    load_or_create_keyfile,
    new_key,
)

K1 = base64.b64encode(b"1" * 32).decode()
K2 = base64.b64encode(b"2" * 32).decode()
BLIND = base64.b64encode(b"b" * 32).decode()
SHORT = base64.b64encode(b"s" * 16).decode()


@pytest.fixture(autouse=True)
def _clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No AUTOLEASE_* variables and no .env file: every test starts from the defaults."""
    for name in list(os.environ):
        if name.upper().startswith("AUTOLEASE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def explicit_security(**overrides: object) -> SecuritySettings:
    values: dict[str, object] = {
        "data_keys": {"k1": K1, "k2": K2},
        "active_key_id": "k1",
        "blind_index_key": BLIND,
    }
    values.update(overrides)
    return SecuritySettings.model_validate(values)


class TestSettings:
    def test_builds_from_arguments_without_environment(self) -> None:
        settings = Settings(environment="test", db=DatabaseSettings(url="sqlite:///x.db"))
        assert settings.environment == "test"
        assert settings.db.resolved_url() == "sqlite:///x.db"

    def test_defaults(self) -> None:
        settings = Settings()
        assert settings.environment == "development"
        assert (settings.api.host, settings.api.port) == ("127.0.0.1", 8000)
        assert settings.log_level == "INFO"
        assert settings.db.url is None

    def test_building_settings_creates_no_files(self, tmp_path: Path) -> None:
        Settings()
        assert list(tmp_path.iterdir()) == []

    def test_reads_nested_database_url_from_the_environment(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AUTOLEASE_DB__URL", "postgresql+psycopg://u@db.example/autolease")
        settings = Settings()
        assert settings.db.url == "postgresql+psycopg://u@db.example/autolease"
        assert settings.db.type == "postgres"

    def test_reads_top_level_values_from_the_environment(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AUTOLEASE_ENVIRONMENT", "test")
        monkeypatch.setenv("AUTOLEASE_API__PORT", "9001")
        settings = Settings()
        assert settings.environment == "test"
        assert settings.api.port == 9001

    def test_reads_a_dotenv_file_in_the_working_directory(self, tmp_path: Path) -> None:
        (tmp_path / ".env").write_text("AUTOLEASE_DB__URL=sqlite:///from-dotenv.db\n")
        assert Settings().db.url == "sqlite:///from-dotenv.db"

    def test_reads_data_keys_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AUTOLEASE_SECURITY__DATA_KEYS", json.dumps({"k1": K1}))
        monkeypatch.setenv("AUTOLEASE_SECURITY__BLIND_INDEX_KEY", BLIND)
        keys = Settings().security.resolved()
        assert keys.data_keys == {"k1": b"1" * 32}
        assert keys.blind_key == b"b" * 32

    def test_production_without_data_keys_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="production requires"):
            Settings(environment="production")

    def test_production_from_the_environment_without_data_keys_is_refused(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AUTOLEASE_ENVIRONMENT", "production")
        with pytest.raises(ValidationError, match="DATA_KEYS"):
            Settings()

    def test_production_with_explicit_keys_is_accepted(self) -> None:
        settings = Settings(environment="production", security=explicit_security())
        assert settings.environment == "production"

    def test_production_with_data_keys_but_no_blind_key_is_refused(self) -> None:
        security = SecuritySettings.model_validate({"data_keys": {"k1": K1}})
        with pytest.raises(ValidationError):
            Settings(environment="production", security=security)

    def test_data_keys_without_blind_key_do_not_fall_back_to_a_keyfile(
        self, tmp_path: Path
    ) -> None:
        security = SecuritySettings.model_validate(
            {"data_keys": {"k1": K1}, "keyfile": str(tmp_path / "keys.json")}
        )
        with pytest.raises(ValueError, match="both"):
            security.resolved()
        assert not (tmp_path / "keys.json").exists()

    def test_several_keys_need_an_active_key_id(self) -> None:
        security = SecuritySettings.model_validate(
            {"data_keys": {"k9": K1, "k10": K1}, "blind_index_key": K1}
        )
        with pytest.raises(ValueError, match="active_key_id"):
            security.resolved()

    def test_unknown_environment_is_rejected(self) -> None:
        with pytest.raises(ValidationError):
            Settings(environment="staging")  # type: ignore[arg-type]


class TestDatabaseSettings:
    def test_url_wins(self) -> None:
        db = DatabaseSettings(url="postgresql://h/db", sqlite_path=Path("ignored.db"))
        assert db.resolved_url() == "postgresql://h/db"
        assert db.type == "postgres"

    def test_without_url_is_sqlite_at_the_path(self) -> None:
        db = DatabaseSettings(sqlite_path=Path("data/app.db"))
        assert db.resolved_url() == "sqlite:///data/app.db"
        assert db.type == "sqlite"

    def test_default_sqlite_path_is_under_var(self) -> None:
        assert DatabaseSettings().resolved_url() == "sqlite:///var/autolease.db"


class TestSecuritySettingsResolved:
    def test_explicit_keys_are_decoded(self, tmp_path: Path) -> None:
        keys = explicit_security(keyfile=tmp_path / "keys.json").resolved()
        assert keys.data_keys == {"k1": b"1" * 32, "k2": b"2" * 32}
        assert keys.active_key_id == "k1"
        assert keys.blind_key == b"b" * 32

    def test_explicit_keys_create_no_keyfile(self, tmp_path: Path) -> None:
        explicit_security(keyfile=tmp_path / "keys.json").resolved()
        assert not (tmp_path / "keys.json").exists()

    def test_a_single_key_is_the_active_key(self) -> None:
        security = explicit_security(active_key_id=None, data_keys={"k7": K2})
        assert security.resolved().active_key_id == "k7"

    def test_active_key_must_be_among_the_data_keys(self) -> None:
        with pytest.raises(ValueError, match="'k9' is not among the data keys"):
            explicit_security(active_key_id="k9").resolved()

    def test_wrong_length_data_key_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="32 bytes"):
            explicit_security(data_keys={"k1": SHORT}).resolved()

    def test_wrong_length_blind_key_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="32 bytes"):
            explicit_security(blind_index_key=SHORT).resolved()

    def test_secrets_are_hidden_in_the_repr(self) -> None:
        assert K1 not in repr(explicit_security())
        assert BLIND not in repr(explicit_security())

    def test_without_keys_a_keyfile_is_created(self, tmp_path: Path) -> None:
        path = tmp_path / "var" / "keys.json"
        keys = SecuritySettings(keyfile=path).resolved()
        assert path.exists()
        assert keys.active_key_id == "k1"
        assert len(keys.data_keys["k1"]) == 32
        assert len(keys.blind_key) == 32


class TestLoadOrCreateKeyfile:
    def test_creates_the_file_with_mode_0600(self, tmp_path: Path) -> None:
        path = tmp_path / "nested" / "keys.json"
        load_or_create_keyfile(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_created_file_holds_the_returned_keys(self, tmp_path: Path) -> None:
        path = tmp_path / "keys.json"
        keys = load_or_create_keyfile(path)
        content = json.loads(path.read_text())
        assert content["active_key_id"] == keys.active_key_id == "k1"
        assert base64.b64decode(content["data_keys"]["k1"]) == keys.data_keys["k1"]
        assert base64.b64decode(content["blind_index_key"]) == keys.blind_key

    def test_second_load_returns_the_same_keys(self, tmp_path: Path) -> None:
        path = tmp_path / "keys.json"
        first = load_or_create_keyfile(path)
        second = load_or_create_keyfile(path)
        assert first.data_keys == second.data_keys
        assert first.blind_key == second.blind_key

    def test_data_key_and_blind_key_differ(self, tmp_path: Path) -> None:
        keys = load_or_create_keyfile(tmp_path / "keys.json")
        assert keys.data_keys["k1"] != keys.blind_key

    def test_existing_file_is_read_not_replaced(self, tmp_path: Path) -> None:
        path = tmp_path / "keys.json"
        path.write_text(
            json.dumps({"active_key_id": "k2", "data_keys": {"k2": K2}, "blind_index_key": BLIND})
        )
        keys = load_or_create_keyfile(path)
        assert keys.data_keys == {"k2": b"2" * 32}
        assert keys.active_key_id == "k2"


class TestNewKey:
    def test_is_32_random_bytes_in_base64(self) -> None:
        assert len(base64.b64decode(new_key())) == 32

    def test_differs_each_time(self) -> None:
        assert new_key() != new_key()


class TestResolvedKeys:
    def test_rejects_an_active_key_that_is_not_listed(self) -> None:
        with pytest.raises(ValueError, match="not among the data keys"):
            ResolvedKeys({"k1": b"1" * 32}, "k2", b"b" * 32)


class TestImportHasNoSideEffects:
    def test_importing_the_app_creates_no_engine_or_files(self, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith("AUTOLEASE_")}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        code = (
            "import gc, autolease.app, autolease.config\n"
            "from sqlalchemy.engine import Engine\n"
            "assert autolease.config.get_settings.cache_info().currsize == 0\n"
            "assert not [o for o in gc.get_objects() if isinstance(o, Engine)]\n"
            "print('imported')\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "imported"
        assert list(tmp_path.iterdir()) == []
