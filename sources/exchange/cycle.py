"""One cycle's view of the exchange: each response fetched once and shared by every check,
markets kept across cycles for `exchange.markets_ttl_seconds`, every failed call logged once
in the error log (`source: runner`) and a cycle whose calls all succeeded logged as `api_ok`.
When the exchange does not answer (rejected key, rate limit, outage, timeout) the cycle asks
nothing more: the other inputs share that reason.

Every call needs valid markets first (ccxt resolves symbols through them), so a broken market
list makes every exchange input UNKNOWN with that one reason, and is fetched again next cycle.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from core.inputs import Holdings, InputName, Markets, Ticker
from sources.errors import ExchangeFailure, SourceError
from sources.exchange.account import AccountType
from sources.exchange.client import ReadFailure, ReadOnlyExchange, build_client
from sources.exchange.equity_method import (
    AccountEquity,
    BalanceAnswer,
    PositionsAnswer,
    account_equity,
    unrealised_pnl,
)
from sources.exchange.errors import describe
from sources.exchange.markets_store import restore_markets, store_markets
from sources.exchange.responses import (
    InvalidResponse,
    parse_balance,
    parse_markets,
    parse_positions,
    parse_tickers,
    parse_transactions,
)

if TYPE_CHECKING:
    from sources.collect import SourceContext

log = logging.getLogger(__name__)
T = TypeVar("T")
# ccxt's credential fields: they differ per account, the rest of `config` names the venue.
_CREDENTIALS = frozenset(
    {
        "apiKey",
        "secret",
        "password",
        "uid",
        "login",
        "twofa",
        "privateKey",
        "walletAddress",
        "token",
    }
)


@dataclass(frozen=True)
class Answer:
    """One call's outcome, kept briefly for the next cycles: the raw answer, or the failure
    (and whether that failure stopped its cycle's calls)."""

    at: datetime
    value: Any = None
    error: SourceError | None = None
    stops: bool = False


class ExchangeSession:
    """What outlives a cycle (kept in `SourceContext.shared`): the client, its markets, and
    the latest answer of each read method.

    Calls are made one at a time (the ccxt client is not thread-safe), and an answer younger
    than `exchange.reuse_seconds` is handed to the next cycle instead of asking again: the
    daemon's exchange checks run in separate jobs at about the same time, and a rate-limited
    or failing exchange must not be asked once per check.
    """

    def __init__(self, client: ReadOnlyExchange) -> None:
        self.client = client
        self.lock = threading.RLock()
        self.markets: Markets | None = None
        self.markets_at: datetime | None = None
        self.answers: dict[str, Answer] = {}

    def recent(self, method: str, now: datetime, max_age: float) -> Answer | None:
        answer = self.answers.get(method)
        if answer is None or max_age <= 0:
            return None
        age = (now.astimezone(UTC) - answer.at).total_seconds()
        return answer if 0 <= age < max_age else None

    def fresh_markets(self, now: datetime, ttl_seconds: int) -> Markets | None:
        if self.markets is None or self.markets_at is None or ttl_seconds == 0:
            return None
        # In UTC: two times of one zone subtract as wall-clock times, blind to DST.
        if now.astimezone(UTC) - self.markets_at >= timedelta(seconds=ttl_seconds):
            return None
        return self.markets


def exchange_cycle(ctx: SourceContext) -> ExchangeCycle:
    """This cycle's exchange reader, created on first use."""
    key = f"exchange:{ctx.settings.account}"
    if key not in ctx.cache:
        ctx.cache[key] = ExchangeCycle(ctx)
    return ctx.cache[key]


class ExchangeCycle:
    """Fetches what this cycle's checks need, each thing once (a failure too is kept, so a
    failing call is neither repeated nor logged twice), and counts the calls for `api_ok`."""

    def __init__(self, ctx: SourceContext) -> None:
        self._ctx = ctx
        self._succeeded = 0
        self._failed = 0
        self._stopped: SourceError | None = None  # the failure that ended this cycle's calls
        ctx.at_finish(self._log_success)

    def markets(self) -> Markets:
        return self._once("markets", self._load_markets)

    def tickers(self) -> dict[str, Ticker]:
        return self._once(
            "tickers", lambda: self._read("fetch_tickers", parse_tickers, public=True)
        )

    def spot_tickers(self) -> dict[str, Ticker]:
        """The spot tickers of a derivatives account's exchange (`tickers()` are its
        contracts'); shared like them."""
        return self._once(
            "spot-tickers", lambda: self._read("fetch_spot_tickers", parse_tickers, public=True)
        )

    def balance(self) -> dict[str, float]:
        """Total per currency: the spot wallet, or a derivatives account's margin wallet."""
        return self._balance().amounts

    def holdings(self) -> Holdings:
        """Spot: the balance; derivatives: the open positions."""
        if not self.markets().derivatives:
            return Holdings(False, self.balance())
        return Holdings(True, self._positions().sizes)

    def equity(self) -> AccountEquity:
        """What the account is worth per currency, unrealised PnL included (equity_method)."""
        derivatives = self.markets().derivatives
        client = self._session().client
        try:
            return account_equity(client.id, derivatives, self._balance(), self._positions)
        except InvalidResponse as error:
            raise SourceError(f"{client.id} equity: {error}") from None

    def deposits_and_withdrawals(self) -> list[dict[str, Any]]:
        return self._once(
            "transfers", lambda: self._read("fetch_deposits_withdrawals", parse_transactions)
        )

    def account_type(self) -> AccountType:
        return self._session().client.account

    def _balance(self) -> BalanceAnswer:
        return self._once(
            "balance",
            lambda: self._read(
                "fetch_balance", lambda raw: BalanceAnswer(parse_balance(raw, self._held), raw)
            ),
        )

    def _positions(self) -> PositionsAnswer:
        return self._once(
            "positions",
            lambda: self._read(
                "fetch_positions",
                lambda raw: PositionsAnswer(parse_positions(raw), *unrealised_pnl(raw)),
            ),
        )

    def _session(self) -> ExchangeSession:
        key = f"exchange:{self._ctx.settings.account}"
        session = self._ctx.shared.get(key) or self._ctx.cache.get(f"{key}:unshared")
        if session is None:
            symbols = self._symbols()
            built = ExchangeSession(build_client(self._ctx.settings.app.exchange, symbols or ()))
            if symbols is None:  # decided without the bot's symbols: for this cycle only
                return self._ctx.cache.setdefault(f"{key}:unshared", built)
            session = self._ctx.shared.setdefault(key, built)  # a concurrent cycle may win
        return session

    def _public(self, session: ExchangeSession) -> ExchangeSession:
        """What every account on the same exchange shares: the market list and the tickers
        (`session` lends its client to the call that fills it). The same exchange is the
        same ccxt id, account type and configuration but for the credentials, so a testnet
        account never shares a live one's answers."""
        client = session.client
        settings = self._ctx.settings.app.exchange
        public = {k: v for k, v in settings.config.items() if k not in _CREDENTIALS}
        digest = hashlib.sha256(json.dumps(public, sort_keys=True, default=str).encode())
        key = f"exchange-public:{client.id}:{client.account.kind}:{digest.hexdigest()[:16]}"
        return self._ctx.shared.setdefault(key, ExchangeSession(client))

    def _load_markets(self) -> Markets:
        session = self._session()
        ttl = self._ctx.settings.app.exchange.markets_ttl_seconds
        public = self._public(session)
        with session.lock:
            cached = session.fresh_markets(self._ctx.now, ttl)
            if cached is not None:
                return cached
            with public.lock:  # another account on this exchange may have them already
                shared = public.fresh_markets(self._ctx.now, ttl)
                listed = public.answers.get("markets")
            if shared is not None and listed is not None:
                session.client.load_markets(listed.value)
                session.markets, session.markets_at = shared, public.markets_at
                return shared
            if session.markets_at is None:  # a new process: an earlier run may have stored them
                restored = restore_markets(self._ctx, session.client, ttl)
                if restored is not None:
                    session.markets, session.markets_at = restored
                    return restored[0]
            session.markets = None  # a failed load must not leave the old list looking fresh
            derivatives = session.client.derivatives
            markets = self._call(
                session, "load_markets", lambda raw: parse_markets(raw, derivatives)
            )
            markets_at = self._ctx.now.astimezone(UTC)
            session.markets, session.markets_at = markets, markets_at
            with public.lock:
                stored = session.client.stored_markets()
                listed = {"markets": stored["markets"], "currencies": stored["currencies"]}
                public.answers["markets"] = Answer(markets_at, value=listed)
                public.markets, public.markets_at = markets, markets_at
            # At the cycle's end: by then ccxt also knows the account's modes.
            self._ctx.at_finish(lambda: store_markets(self._ctx, session.client, markets_at))
            return markets

    def _read(self, method: str, parse: Callable[[Any], T], public: bool = False) -> T:
        """A read, answered from the last one if it is recent; a public answer (tickers) is
        shared by every account on this exchange and account type."""
        self.markets()
        if self._stopped is not None:
            raise self._stopped
        session = self._session()
        keeper = self._public(session) if public else session
        reuse = self._ctx.settings.app.exchange.reuse_seconds
        with keeper.lock:
            answer = keeper.recent(method, self._ctx.now, reuse)
            if answer is None:  # not asked lately: ask (a failure is logged once, here)
                answer = self._ask(session, method)  # the client makes one call at a time
                keeper.answers[method] = answer
        return self._settle(session.client, method, answer, parse)

    def _call(self, session: ExchangeSession, method: str, parse: Callable[[Any], T]) -> T:
        if self._stopped is not None:
            raise self._stopped
        return self._settle(session.client, method, self._ask(session, method), parse)

    def _ask(self, session: ExchangeSession, method: str) -> Answer:
        """One call to the exchange: its raw answer, or the failure (logged, counted)."""
        now = self._ctx.now.astimezone(UTC)
        try:
            raw = getattr(session.client, method)()
        except Exception as error:  # noqa: BLE001 - ccxt also fails with plain Python errors
            failure = self._failure(session.client, method, error)
            return Answer(now, error=failure, stops=self._stopped is failure)
        self._succeeded += 1
        return Answer(now, value=raw)

    def _settle(
        self, client: ReadOnlyExchange, method: str, answer: Answer, parse: Callable[[Any], T]
    ) -> T:
        """The parsed value, validated in this cycle (what is plausible depends on the bot's
        state now), or the failure raised; a failure that stopped its cycle stops this one."""
        if answer.error is not None:
            if answer.stops:
                self._stopped = answer.error
            raise answer.error
        try:
            return parse(answer.value)
        except Exception as error:  # noqa: BLE001 - a refused answer is a failed call too
            raise self._failure(client, method, error) from None

    def _failure(self, client: ReadOnlyExchange, method: str, error: Exception) -> SourceError:
        """Count a failed call and log it once; the reason as a SourceError."""
        from config.redact import secret_values

        failure = (
            error if isinstance(error, ReadFailure) else ReadFailure(method, error, None, None)
        )
        self._failed += 1
        described = describe(failure, client.timeout_ms, secret_values(self._ctx.settings))
        message = f"{client.id} {failure.method}: {described.reason}"
        self._log_event(
            "api_error",
            code=described.code,
            message=f"{message} [{described.code}: {described.detail}]",
            context={
                "exchange": client.id,
                "method": failure.method,
                "reason": described.reason,
                "http_status": failure.status,
            },
        )
        reason = ExchangeFailure(message)
        if described.stops_cycle:
            self._stopped = reason
        return reason

    def _symbols(self) -> list[str] | None:
        """The bot's symbols, which tell spot from derivatives; None if the state is unread."""
        try:
            return list(self._ctx.input(InputName.BOT_STATE).positions)
        except SourceError:
            return None

    def _held(self) -> list[str]:
        """The bot's open positions, for judging an empty balance; [] if the state is unread."""
        try:
            state = self._ctx.input(InputName.BOT_STATE)
        except SourceError:
            return []
        return [symbol for symbol, position in state.positions.items() if position.quantity]

    def _once(self, key: str, produce: Callable[[], T]) -> T:
        account = self._ctx.settings.account
        return self._ctx.once(f"exchange:{account}:{key}", produce, keep=SourceError)

    def _log_success(self) -> None:
        if self._succeeded and not self._failed:
            self._log_event("api_ok", message=f"{self._succeeded} exchange calls succeeded")

    def _log_event(self, kind: str, **fields: Any) -> None:
        """Into the error log as `source: runner`; never under --dry-run."""
        if self._ctx.dry_run:
            return
        from store.error_events import record_runner_event

        ctx = self._ctx
        record_runner_event(ctx.database, ctx.settings.account, kind, ctx.now, **fields)
