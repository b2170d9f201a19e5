"""HTTP client for the emulator's ``/_emulator`` control API (for other processes).

Mirrors the in-process API: ``EmulatorControl(base_url).add_fault("http_503", times=2)``.
Raises ``requests.HTTPError`` on a rejected call; the 400 body says what was wrong.
"""

from __future__ import annotations

from typing import Any

import requests


class EmulatorControl:
    def __init__(self, base_url: str, *, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()

    def _call(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        response = self._session.request(
            method,
            f"{self.base_url}/_emulator{path}",
            json=payload,
            params=params,
            timeout=self.timeout,
        )
        if response.status_code >= 400:
            raise requests.HTTPError(f"{response.status_code}: {response.text}", response=response)
        return response.json()

    @staticmethod
    def _scope(exchange: str | None) -> dict[str, str] | None:
        return {"exchange": exchange} if exchange else None

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/state")

    def patch_state(self, **sections: Any) -> dict[str, Any]:
        """Merge sections key by key, e.g. ``patch_state(tickers={"BTC/USDT": {...}})``;
        a ``None`` value deletes that key."""
        return self._call("POST", "/state", {"mode": "patch", **sections})

    def replace_state(self, **sections: Any) -> dict[str, Any]:
        """Replace the given sections wholesale (absent sections are kept)."""
        return self._call("POST", "/state", {"mode": "replace", **sections})

    def set_account(self, api_key: str, **sections: Any) -> dict[str, Any]:
        """Give ``api_key`` wallets/positions of its own (``balances=``, ``futures_balances=``,
        ``positions=``; a section left out is empty)."""
        return self.patch_state(accounts={api_key: sections})

    def reset(self) -> None:
        """Default state, no faults, zero counts."""
        self._call("POST", "/reset")

    def add_fault(self, kind: str, **options: Any) -> dict[str, Any]:
        return self._call("POST", "/fault", {"kind": kind, **options})

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "/faults")

    def clear_faults(self, exchange: str | None = None) -> int:
        return int(self._call("POST", "/clear", {"exchange": exchange})["removed"])

    def counts(self, exchange: str | None = None) -> dict[str, Any]:
        """``{"total": n, "by_path": {...}, "by_exchange": {...}, "private": n,
        "by_api_key": {key: {"public": n, "private": n}}}``."""
        return self._call("GET", "/counts", params=self._scope(exchange))

    def requests_total(self, exchange: str | None = None) -> int:
        return int(self.counts(exchange)["total"])

    def request_log(self, exchange: str | None = None) -> list[dict[str, Any]]:
        return self._call("GET", "/log", params=self._scope(exchange))

    def reset_counts(self) -> None:
        self._call("POST", "/reset_counts")

    def close(self) -> None:
        self._session.close()
