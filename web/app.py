"""The status page as a WSGI application (Werkzeug for requests, routing and responses).

The same application is mounted by the daemon next to /metrics and /healthz, and served by
`alert-matrix web` for cron set-ups. Every request reads the database in one short read
transaction; nothing here runs a check.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from alerts.names import OperatorError
from checks.registry import active_checks
from config.loader import Settings
from config.policy import Policy
from config.redact import WEB_TOKEN_ENV
from core import clock
from core.keys import check_of
from store.db import Database, describe
from store.models import Alert
from web.actions import DONE, perform
from web.alert_view import alert_view
from web.auth import REALM, Credential
from web.board import account_boards
from web.charts import count_plot, equity_plots
from web.counts import error_counts
from web.equity import WINDOWS, equity_series
from web.health import JobSnapshot, watchdog_health
from web.render import environment

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {"page.js": "text/javascript", "page.css": "text/css"}
REFRESH_SECONDS = 5
# The window each loss check's page plots.
CHECK_WINDOWS = {"daily_loss": "day", "weekly_loss": "week", "drawdown": "30d"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" would make Origin "null"
    "Cache-Control": "no-store",
}
READ_ONLY = (
    f"This page is read-only: no credential is configured. Set {WEB_TOKEN_ENV} in the "
    "environment of the daemon (or of `alert-matrix web`) and restart it to act from here; "
    "the CLI (`ack`, `silence`, `unsilence`) works meanwhile."
)

StartResponse = Callable[..., Any]


class StatusPage:
    def __init__(
        self,
        settings: Settings,
        database: Callable[[], Database],
        jobs: JobSnapshot | None = None,
        credential: Credential | None = None,
    ) -> None:
        self.settings = settings
        self.database = database
        self.jobs = jobs
        self.credential = credential or Credential.from_environment()
        self.templates = environment(settings.app.tz)
        self.routes = Map(
            [
                Rule("/", endpoint="board", methods=["GET"]),
                Rule("/alert/<path:key>", endpoint="alert", methods=["GET"]),
                Rule(
                    "/act/<any(ack, silence, unsilence):action>/<path:key>",
                    endpoint="act",
                    methods=["POST"],
                ),
                Rule("/equity.json", endpoint="equity", methods=["GET"]),
                Rule("/static/<name>", endpoint="static", methods=["GET"]),
            ]
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except HTTPException as error:
            response = self._message(error.code or 500, error.name, error.description or "")
        except Exception as error:  # noqa: BLE001 - the database may be down; say so, stay up
            log.warning("status page: %s", describe(error))
            response = self._message(503, "Database unavailable", describe(error))
        response.headers.update(SECURITY_HEADERS)
        return response(environ, start_response)

    # ------------------------------------------------------------------ routing

    def _dispatch(self, request: Request) -> Response:
        endpoint, arguments = self.routes.bind_to_environ(request.environ).match()
        user = self.credential.user(request.headers.get("Authorization"))
        if self.credential.configured and user is None:
            return Response(
                "Sign in: your name as the user name, the token as the password.\n",
                401,
                {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'},
                mimetype="text/plain",
            )
        handler = getattr(self, f"_{endpoint}")
        return handler(request, user, **arguments)

    def _policy(self, account: str) -> Policy:
        """The thresholds of `account` (a fleet's member has its own overrides)."""
        return (self.settings.of_account(account) or self.settings).policy

    def _board(self, request: Request, user: str | None) -> Response:
        now = clock.utcnow()
        window = _choice(request.args.get("window"), WINDOWS, "day")
        with self.database().read() as session:
            boards = account_boards(session, self.settings, now)
            accounts = [board.account for board in boards]
            account = _choice(request.args.get("account"), accounts, accounts[0])
            checks = [check.name for check in active_checks(self.settings.app.skip_checks)]
            health = watchdog_health(session, account, checks, now, self.jobs)
            series = equity_series(session, self.settings, account, window, now)
            counts = error_counts(session, self._policy(account), account, now)
            newest = session.scalar(select(func.max(Alert.last_evaluated_at)))
        tz = self.settings.app.tz
        return self._render(
            request,
            user,
            "board",
            boards=boards,
            health=health,
            account=account,
            window=window,
            windows=list(WINDOWS),
            plots=equity_plots(series, tz) + [count_plot(c, now, tz) for c in counts],
            newest=newest,
            now=now,
        )

    def _alert(self, request: Request, user: str | None, key: str) -> Response:
        now = clock.utcnow()
        tz = self.settings.app.tz
        with self.database().read() as session:
            view = alert_view(session, self.settings, key, now)
            if view is None:
                return self._message(404, "No such alert", f"no alert {key!r} has been evaluated")
            check = check_of(view.alert.name)
            plots = []
            if check in CHECK_WINDOWS:
                series = equity_series(
                    session, self.settings, view.alert.account, CHECK_WINDOWS[check], now
                )
                plots = equity_plots(series, tz)
            counts = error_counts(
                session, self._policy(view.alert.account), view.alert.account, now
            )
            plots += [count_plot(c, now, tz) for c in counts if c.check == check]
        return self._render(request, user, "alert", view=view, plots=plots, now=now)

    def _act(self, request: Request, user: str | None, action: str, key: str) -> Response:
        if not self.credential.configured:
            return self._message(403, "Read-only", READ_ONLY)
        assert user is not None  # signed in: _dispatch refused everyone else
        if not user:
            return self._message(
                403,
                "Who are you?",
                "Sign in with your name as the user name: it goes to "
                "the alert's history with the action.",
            )
        if not self._same_origin(request) or not self.credential.csrf_valid(
            user, request.form.get("csrf", "")
        ):
            return self._message(
                403, "Refused", "The form is stale or did not come from this page: reload it."
            )
        try:
            perform(self.database(), self.settings, key, action, request.form, user, clock.utcnow())
        except OperatorError as error:
            return self._message(409, "Not done", str(error))
        log.info("status page: %s %s by %s", action, key, user)
        back = f"/alert/{key}" if request.form.get("next") == "alert" else "/"
        return redirect(f"{back}?done={action}", 303)

    def _equity(self, request: Request, user: str | None) -> Response:
        window = _choice(request.args.get("window"), WINDOWS, "day")
        account = request.args.get("account") or self.settings.account
        with self.database().read() as session:
            series = equity_series(session, self.settings, account, window, clock.utcnow())
        return Response(json.dumps(series.to_dict()), mimetype="application/json")

    def _static(self, _request: Request, _user: str | None, name: str) -> Response:
        if name not in STATIC_TYPES:
            return self._message(404, "Not found", "")
        return Response((STATIC / name).read_bytes(), mimetype=STATIC_TYPES[name])

    # ------------------------------------------------------------------ rendering

    def _render(self, request: Request, user: str | None, page: str, **values: Any) -> Response:
        """The whole page, or with `?part=body` only what the refresh script swaps in."""
        part = request.args.get("part") == "body"
        template = self.templates.get_template(f"_{page}.html" if part else f"{page}.html")
        html = template.render(
            user=user,
            can_act=bool(user),
            read_only=READ_ONLY if not self.credential.configured else "",
            csrf=self.credential.csrf_token(user) if user else "",
            done=DONE.get(request.args.get("done", ""), ""),
            refresh_url=f"{request.path}?{_with_part(request)}",
            refresh_seconds=REFRESH_SECONDS,
            local_account=self.settings.account,
            **values,
        )
        return Response(html, mimetype="text/html")

    def _message(self, status: int, title: str, text: str) -> Response:
        html = self.templates.get_template("message.html").render(title=title, text=text)
        return Response(html, status, mimetype="text/html")

    @staticmethod
    def _same_origin(request: Request) -> bool:
        """A browser names the page a form came from; it must be this one."""
        origin = request.headers.get("Origin")
        return origin is None or origin == request.host_url.rstrip("/")


def _choice(value: str | None, allowed: Iterable[str], default: str) -> str:
    return value if value in allowed else default


def _with_part(request: Request) -> str:
    arguments = request.args.copy()
    arguments.pop("done", None)
    arguments["part"] = "body"
    return urlencode(list(arguments.items(multi=True)))
