"""API keys with roles: analyst (read), support (also acknowledge/assign/resolve), admin (all).

Keys come from the environment (``SHENAVA_API_KEYS``), never from files in the repository:
``name:role:sha256:<hex>`` entries (preferred: only the hash is configured) or ``name:role:<key>``
(hashed at start, the key itself is not kept), separated by ``;`` or newlines. Presented keys
are hashed and compared with ``hmac.compare_digest`` against every configured hash.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

ROLES = ("analyst", "support", "admin")
ENV_VAR = "SHENAVA_API_KEYS"
_RANK = {role: rank for rank, role in enumerate(ROLES)}


class ApiKeyConfigError(ValueError):
    """``SHENAVA_API_KEYS`` is malformed (the message never repeats a key)."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    digest: bytes

    def allows(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    """A fresh random key (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


class ApiKeyRing:
    def __init__(self, keys: list[ApiKey]) -> None:
        self.keys = keys

    @classmethod
    def parse(cls, spec: str) -> ApiKeyRing:
        keys: list[ApiKey] = []
        entries = [e.strip() for e in spec.replace("\n", ";").split(";") if e.strip()]
        for index, entry in enumerate(entries, 1):
            parts = entry.split(":", 2)
            if len(parts) != 3 or not parts[0] or not parts[2]:
                raise ApiKeyConfigError(
                    f"{ENV_VAR} entry {index}: expected name:role:key or name:role:sha256:<hex>"
                )
            name, role, secret = parts
            if role not in ROLES:
                raise ApiKeyConfigError(
                    f"{ENV_VAR} entry {index} ({name}): role must be one of {', '.join(ROLES)}"
                )
            if secret.startswith("sha256:"):
                hexdigest = secret.removeprefix("sha256:").lower()
                if len(hexdigest) != 64 or any(c not in "0123456789abcdef" for c in hexdigest):
                    raise ApiKeyConfigError(f"{ENV_VAR} entry {index} ({name}): sha256 needs 64 hex digits")
            else:
                if len(secret) < 16:
                    raise ApiKeyConfigError(
                        f"{ENV_VAR} entry {index} ({name}): a key needs at least 16 characters"
                    )
                hexdigest = hash_key(secret)
            keys.append(ApiKey(name, role, bytes.fromhex(hexdigest)))
        names = [k.name for k in keys]
        if len(set(names)) != len(names):
            raise ApiKeyConfigError(f"{ENV_VAR}: key names must be unique")
        return cls(keys)

    @classmethod
    def from_env(cls) -> ApiKeyRing:
        return cls.parse(os.environ.get(ENV_VAR, ""))

    def find(self, presented: str | None) -> ApiKey | None:
        """The key matching ``presented``; every configured hash is compared (no early exit)."""
        if not presented:
            return None
        digest = hashlib.sha256(presented.encode("utf-8", "replace")).digest()
        found = None
        for key in self.keys:
            if hmac.compare_digest(digest, key.digest):
                found = key
        return found
