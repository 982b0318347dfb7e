"""Web origins (pure): the canonical form an SP's page is allowed to call the API from.

An origin is ``scheme://host[:port]``, scheme http or https, no path, query or user; it is
kept lower-case with the default port dropped, as browsers send it in ``Origin``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class OriginInvalid(ValueError):
    """Not an origin; the message says why."""


def canonical_origin(value: str) -> str:
    """``value`` as a browser's ``Origin`` header would carry it, or `OriginInvalid`."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise OriginInvalid("not a URL origin") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise OriginInvalid("the scheme must be http or https")
    if not parts.hostname or parts.username or parts.password:
        raise OriginInvalid("an origin is scheme://host[:port], with a host and no user")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise OriginInvalid("an origin has no path, query or fragment")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    suffix = "" if port in (None, DEFAULT_PORTS[scheme]) else f":{port}"
    return f"{scheme}://{host}{suffix}"
