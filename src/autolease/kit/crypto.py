"""Field encryption (AES-256-GCM) with key ids, and keyed blind indexes (HMAC-SHA256).

Ciphertext format: ``<key id>:<base64(nonce || ciphertext+tag)>``. The key id travels with the
value so keys can rotate: new writes use the active key, old rows still decrypt.
Files are sealed as bytes: ``<key id> 0x00 nonce || ciphertext+tag`` (`seal`/`unseal`), under the
same keys and rotation.
A blind index is ``HMAC(blind_key, kind || 0x00 || normalised value)``: equal values link,
nothing can be read back, and the same phone under two kinds gives two unrelated indexes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class DecryptionError(ValueError):
    """Raised when a value was written under an unknown key or has been tampered with."""


class FieldCipher:
    def __init__(
        self,
        data_keys: dict[str, bytes],
        active_key_id: str,
        blind_key: bytes,
        nonce_source: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._aead = {kid: AESGCM(key) for kid, key in data_keys.items()}
        self._active = active_key_id
        self._blind_key = blind_key
        self._nonce = nonce_source

    @property
    def active_key_id(self) -> str:
        return self._active

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Encrypt; `context` (e.g. the column name) is bound as associated data."""
        nonce = self._nonce(NONCE_BYTES)
        sealed = self._aead[self._active].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{self._active}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str) -> str:
        kid, _, payload = token.partition(":")
        aead = self._aead.get(kid)
        if aead is None:
            raise DecryptionError(f"unknown key id {kid!r}")
        try:
            raw = base64.b64decode(payload, validate=True)
            return aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
        except Exception as exc:  # binascii.Error for bad base64, InvalidTag for tampering
            raise DecryptionError("ciphertext failed authentication") from exc

    def seal(self, data: bytes, *, context: str) -> bytes:
        """Encrypt bytes (a file) under the active key; `context` is bound as associated data."""
        nonce = self._nonce(NONCE_BYTES)
        sealed = self._aead[self._active].encrypt(nonce, data, context.encode())
        return self._active.encode() + b"\x00" + nonce + sealed

    def unseal(self, blob: bytes, *, context: str) -> bytes:
        kid, sep, raw = blob.partition(b"\x00")
        aead = self._aead.get(kid.decode(errors="replace")) if sep else None
        if aead is None:
            raise DecryptionError("sealed data names no known key")
        try:
            return aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except Exception as exc:  # InvalidTag for tampering, a wrong context or a short blob
            raise DecryptionError("sealed data failed authentication") from exc

    def blind_index(self, kind: str, value: str) -> str:
        message = kind.encode() + b"\x00" + value.strip().upper().encode()
        return hmac.new(self._blind_key, message, hashlib.sha256).hexdigest()

    def needs_rotation(self, token: str) -> bool:
        return not token.startswith(self._active + ":")
