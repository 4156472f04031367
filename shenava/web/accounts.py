"""People who log in to the web app: create, list, disable, reset, verify. Every change is audited.

Passwords are hashed with argon2id (``argon2-cffi`` defaults: RFC 9106 low-memory profile). Roles
are the API's (``shenava.api.auth.ROLES``): analyst < support < admin.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shenava.api.auth import ROLES
from storage import audit
from storage.accounts import Account, WebSession

_HASHER = PasswordHasher()
# a hash to verify against when the account does not exist, so timing does not reveal names
_DUMMY_HASH = _HASHER.hash("shenava-no-such-account")
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MIN_PASSWORD = 10
_RANK = {role: rank for rank, role in enumerate(ROLES)}


class AccountError(ValueError):
    """The account does not exist, already exists, or the value is not allowed."""


@dataclass(frozen=True)
class User:
    """The logged-in person as the pages see them (no hash, no session)."""

    id: int
    name: str
    display_name: str
    role: str

    def allows(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


def as_user(account: Account) -> User:
    return User(account.id, account.name, account.display_name, account.role)


def new_password() -> str:
    """A random password for a first login (about 96 bits)."""
    return secrets.token_urlsafe(12)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    return _HASHER.hash(password)


def find(session: Session, name: str) -> Account | None:
    return session.scalar(select(Account).where(Account.name == name))


def _get(session: Session, name: str) -> Account:
    account = find(session, name)
    if account is None:
        raise AccountError(f"no account named {name!r}")
    return account


def add(
    session: Session,
    name: str,
    role: str,
    password: str,
    *,
    display_name: str | None = None,
    by: str,
) -> Account:
    if not NAME.match(name):
        raise AccountError("a name is 1-64 Latin letters, digits, '_', '.' or '-'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if find(session, name) is not None:
        raise AccountError(f"an account named {name!r} already exists")
    now = datetime.now(UTC)
    account = Account(
        name=name,
        display_name=(display_name or name).strip()[:128] or name,
        role=role,
        password_hash=hash_password(password),
        disabled=False,
        created_at=now,
        password_changed_at=now,
    )
    session.add(account)
    audit.record(
        session, actor=by, action="account.add", target=f"account:{name}", new={"role": role}, at=now
    )
    return account


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.name)))


def set_disabled(session: Session, name: str, disabled: bool, *, by: str) -> Account:
    account = _get(session, name)
    old = account.disabled
    account.disabled = disabled
    if disabled:  # a disabled person is logged out everywhere at once
        for row in session.scalars(select(WebSession).where(WebSession.account_id == account.id)):
            session.delete(row)
    audit.record(
        session,
        actor=by,
        action="account.disable" if disabled else "account.enable",
        target=f"account:{name}",
        old={"disabled": old},
        new={"disabled": disabled},
    )
    return account


def reset_password(session: Session, name: str, password: str, *, by: str) -> Account:
    account = _get(session, name)
    account.password_hash = hash_password(password)
    account.password_changed_at = datetime.now(UTC)
    for row in session.scalars(select(WebSession).where(WebSession.account_id == account.id)):
        session.delete(row)
    audit.record(session, actor=by, action="account.reset", target=f"account:{name}")
    return account


def verify(session: Session, name: str, password: str) -> Account | None:
    """The enabled account whose password this is, or None (same work either way)."""
    account = find(session, name) if NAME.match(name or "") else None
    try:
        _HASHER.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or account.disabled:
        return None
    if _HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = _HASHER.hash(password)
    return account


def has_admin(session: Session) -> bool:
    query = select(Account.id).where(Account.role == "admin", Account.disabled.is_(False)).limit(1)
    return session.scalar(query) is not None


def ensure_admin(session: Session) -> str | None:
    """Create the account ``admin`` with a random password when no enabled admin exists.

    Returns the password (for the console, once), or None when an admin already exists. If an
    account named ``admin`` exists but is disabled or not an admin, nothing is created.
    """
    if has_admin(session) or find(session, "admin") is not None:
        return None
    password = new_password()
    add(session, "admin", "admin", password, display_name="admin", by="cli:init")
    return password
