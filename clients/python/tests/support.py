"""Helpers the unit tests share: files written as the CLI writes them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tessera_client import SavedLogin


def write_json(path: str, value: Any) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    Path(path).write_text(json.dumps(value))


def login_for(
    host: str, *, expires_in: float = 900, refresh_token: str = "tsr_first", access_token: str = "at-first"
) -> SavedLogin:
    expires_at = datetime.now(timezone.utc) + timedelta(seconds=expires_in)
    return SavedLogin(
        host, access_token, refresh_token, expires_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )
