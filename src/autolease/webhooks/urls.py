"""Endpoint URLs (pure): https, or http to the local host where settings allow it."""

from __future__ import annotations

from urllib.parse import urlsplit

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_URL_LENGTH = 2000


class UrlInvalid(ValueError):
    """Not an acceptable endpoint URL: `rule` names the rule, the message says why."""

    def __init__(self, rule: str, message_en: str, message_zh: str) -> None:
        super().__init__(message_en)
        self.rule = rule
        self.message_en = message_en
        self.message_zh = message_zh


def check_url(value: str, *, allow_plain_http_localhost: bool) -> str:
    """`value` if it is an absolute https URL (or http to localhost when allowed)."""
    if len(value) > MAX_URL_LENGTH:
        raise UrlInvalid("too_long", "the URL is too long", "URL过长")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise UrlInvalid("url", "not a URL", "不是有效的URL") from None
    if not parts.hostname or parts.username or parts.password or parts.fragment:
        raise UrlInvalid(
            "url", "an absolute URL with a host, no user and no fragment", "须为含主机名的完整URL"
        )
    if parts.scheme == "https":
        return value
    local = parts.hostname.lower() in LOCAL_HOSTS
    if parts.scheme == "http" and local and allow_plain_http_localhost:
        return value
    raise UrlInvalid("https_required", "the URL must use https", "URL必须使用https")
