"""Typed settings: one object, read from the environment (prefix DYADWATCH_)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.errors import ConfigError

_UNSET = "no {what} configured: set DYADWATCH_{env} or start the embedded stack with `dyadwatch up`"


def _default_home() -> Path:
    # PostgreSQL will not run as root, so root's stack runs its server as a system user, which
    # cannot reach into /root: root keeps the data where services keep theirs.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib/dyadwatch")
    return Path(platformdirs.user_data_dir("dyadwatch"))


class Settings(BaseSettings):
    """Every knob of dyadwatch. Unset service addresses mean: use the embedded stack."""

    model_config = SettingsConfigDict(env_prefix="DYADWATCH_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Embedded stack data dir")
    kafka_bootstrap: str | None = Field(default=None, description="host:port of Kafka")
    database_url: SecretStr | None = Field(
        default=None, description="postgresql+psycopg://user:pass@host:port/db"
    )
    broker: str = Field(
        default="kafka", pattern="^(kafka|tansu)$", description="tansu: work around its limits"
    )
    app_id: str = Field(default="dyadwatch", description="Faust app id = consumer group")
    topic_prefix: str = Field(default="", description="Prefix of every topic name")
    articles_partitions: int = Field(default=6, ge=1, le=1024)
    events_partitions: int = Field(default=6, ge=1, le=1024)
    changes_partitions: int = Field(default=6, ge=1, le=1024)
    signal_expiry_days: int = Field(
        default=180, ge=1, le=3650, description="Open signals lapse after this many days"
    )
    deadletter_partitions: int = Field(default=1, ge=1, le=1024)
    # What each agent takes from its topic at once, and how long it waits for a batch to
    # fill. At news rates a batch never fills, so the wait is the latency the stage adds;
    # alerts are the last hop before a person and wait least.
    detect_batch: int = Field(default=200, ge=1, le=10_000, description="Articles per batch")
    detect_batch_wait: float = Field(default=0.02, gt=0, le=10, description="Seconds")
    state_batch: int = Field(default=200, ge=1, le=10_000, description="Events per batch")
    state_batch_wait: float = Field(default=0.02, gt=0, le=10, description="Seconds")
    alerts_batch: int = Field(default=500, ge=1, le=10_000, description="Changes per batch")
    alerts_batch_wait: float = Field(default=0.01, gt=0, le=10, description="Seconds")
    max_article_bytes: int = Field(default=1_000_000, ge=1024, description="Larger is rejected")
    kafka_port: int = Field(default=19092, ge=0, le=65535, description="Embedded Tansu port")
    postgres_port: int = Field(default=15432, ge=0, le=65535, description="Embedded Postgres port")
    api_port: int = Field(default=18080, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64, description="Faust workers `up` starts")
    worker_port: int = Field(default=16066, ge=0, le=65535, description="First worker web port")
    log_format: str = Field(default="console", pattern="^(console|json)$")
    log_level: str = Field(default="INFO")
    # Alerts: the API, webhook delivery and the alerts topic.
    alerts_partitions: int = Field(default=6, ge=1, le=1024)
    api_url: str | None = Field(default=None, description="API base URL for the CLI")
    api_key: SecretStr | None = Field(default=None, description="Key the CLI sends to the API")
    public_url: str = Field(default="", description="Base URL of links inside alerts")
    secret_keys: SecretStr | None = Field(
        default=None,
        description="Fernet keys that seal webhook secrets, first seals (default: a key file)",
    )
    # One switch for every URL fetched or called on a user's say: webhooks, feeds, article pages.
    allow_private_urls: bool = Field(
        default=False, description="Allow private, loopback and link-local addresses"
    )
    webhook_allow_private: bool = Field(default=False, description="Alias of allow_private_urls")
    webhook_timeout: float = Field(default=5.0, gt=0, le=60, description="Seconds per attempt")
    webhook_max_attempts: int = Field(default=20, ge=1, le=100)
    webhook_backoff_base: float = Field(default=1.0, gt=0, description="First retry delay")
    webhook_backoff_cap: float = Field(default=3600.0, gt=0, description="Longest retry delay")
    webhook_concurrency: int = Field(default=8, ge=1, le=64, description="In flight per endpoint")
    max_request_bytes: int = Field(default=65_536, ge=1024, description="Largest API request body")
    max_filter_items: int = Field(default=200, ge=1, le=10_000, description="Per filter list")
    api_rate: float = Field(
        default=20.0, ge=0, description="API requests a second per key, on average; 0: no limit"
    )
    api_burst: int = Field(default=100, ge=1, le=100_000, description="API requests at once")
    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="Dashboard sign-in lifetime"
    )
    # Feeds: the poller and the article pages it fetches for items that carry only a summary.
    feed_timeout: float = Field(default=10.0, gt=0, le=120, description="Seconds per request")
    feed_max_bytes: int = Field(default=5_000_000, ge=1024, description="Largest feed or page")
    feed_max_redirects: int = Field(default=5, ge=0, le=20)
    feed_backoff_cap: float = Field(
        default=6 * 3600.0, gt=0, description="Longest wait after failures"
    )
    feed_poll_seconds: float = Field(
        default=5.0, gt=0, le=3600, description="How often the poller looks for due feeds"
    )
    full_text_min_chars: int = Field(
        default=600, ge=0, description="An item's text shorter than this is a summary"
    )

    def private_urls_allowed(self) -> bool:
        """DYADWATCH_ALLOW_PRIVATE_URLS, or its older webhook-only name, kept as an alias."""
        return self.allow_private_urls or self.webhook_allow_private

    def database_url_value(self) -> str | None:
        return self.database_url.get_secret_value() if self.database_url else None

    def require_database_url(self) -> str:
        """The database URL, or a clear error for a command that cannot go on without one."""
        url = self.database_url_value()
        if not url:
            raise ConfigError(_UNSET.format(what="database", env="DATABASE_URL"))
        return url

    def require_kafka_bootstrap(self) -> str:
        """The Kafka bootstrap, or a clear error for a command that cannot go on without one."""
        if not self.kafka_bootstrap:
            raise ConfigError(_UNSET.format(what="Kafka", env="KAFKA_BOOTSTRAP"))
        return self.kafka_bootstrap


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
