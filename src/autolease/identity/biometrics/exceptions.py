"""Biometric errors.

    AutoleaseError
    ├── BiometricsUnavailable (503)   the optional extra is not installed or failed to load
    ├── NotFound
    │   └── TemplateNotFound (404)
    └── InputInvalid
        └── SampleInvalid (422)       an image or recording that cannot be used

Messages name the field and the rule, never the content of a sample.
"""

from __future__ import annotations

from autolease.exceptions import AutoleaseError, FieldError, InputInvalid, NotFound

EXTRA_NAME = "biometrics"
INSTALL_HINT = "pip install 'autolease[biometrics]'"


class BiometricsUnavailable(AutoleaseError):
    status_code = 503
    code = "biometrics_unavailable"

    @classmethod
    def missing(cls, modules: tuple[str, ...] | list[str]) -> BiometricsUnavailable:
        names = ", ".join(modules)
        return cls(
            f"biometrics are an optional extra that is not installed (missing: {names});"
            f" install it with: {INSTALL_HINT}"
        )


class TemplateNotFound(NotFound):
    code = "biometric_template_not_found"


class SampleInvalid(InputInvalid):
    code = "sample_invalid"

    def __init__(self, field: str, rule: str, message_en: str, message_zh: str) -> None:
        super().__init__(
            f"{field}: {message_en}", errors=[FieldError(field, rule, message_en, message_zh)]
        )
        self.field = field
        self.rule = rule
