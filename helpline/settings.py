"""Typed HELPLINE_* settings: the only reader of the environment.

Embedded defaults (SQLite in ./instance, the shipped partner directory, a development auth
token) make the quick start work; in production a default secret stops startup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from helpline.domain.errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_TOKEN = "dev-auth-token-not-for-production"  # noqa: S105 - the documented development default
DEV_SECRET = "dev-secret-not-for-production"  # noqa: S105


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HELPLINE_", extra="ignore", frozen=True, populate_by_name=True
    )

    env: Literal["development", "production", "test"] = "development"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'instance' / 'helpline.db'}"
    partners_dir: Path = PROJECT_ROOT / "partners"
    rules_file: Path = PROJECT_ROOT / "routing_rules.yaml"
    public_url: str | None = Field(default=None, description="the base URL Twilio calls")
    proxy_hops: int = Field(default=0, ge=0, le=5, description="ProxyFix hops in front of us")
    twilio_auth_token: SecretStr = Field(
        default=SecretStr(DEV_TOKEN),
        validation_alias=AliasChoices("TWILIO_AUTH_TOKEN", "HELPLINE_TWILIO_AUTH_TOKEN"),
    )
    twilio_account_sid: str = Field(
        default="AC00000000000000000000000000000000",
        validation_alias=AliasChoices("TWILIO_ACCOUNT_SID", "HELPLINE_TWILIO_ACCOUNT_SID"),
    )
    twilio_api_url: str = "https://api.twilio.com"
    line_number: str = "+31800000000"  # example: the free number callers dial
    operator_number: str = "+31102000000"  # example: the 24/7 operator desk
    operator_queue: str = "operators"
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    pseudonym_key: SecretStr = SecretStr(DEV_SECRET + "-pseudonyms")
    encryption_key: SecretStr = SecretStr("ZGV2LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24tMzJieXQ=")
    ring_timeout: int = Field(default=20, ge=5, le=60)
    transcript_retention_days: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> Settings:
        if self.env != "production":
            return self
        defaults = [
            name
            for name, value in (
                ("TWILIO_AUTH_TOKEN", self.twilio_auth_token),
                ("HELPLINE_SECRET_KEY", self.secret_key),
                ("HELPLINE_PSEUDONYM_KEY", self.pseudonym_key),
            )
            if value.get_secret_value().startswith("dev-")
        ]
        if defaults:
            raise ConfigurationError(f"production needs real secrets; set {', '.join(defaults)}")
        if not self.public_url:
            raise ConfigurationError("production needs HELPLINE_PUBLIC_URL (the URL Twilio signs)")
        return self
