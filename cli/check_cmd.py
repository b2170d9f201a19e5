"""`check NAME|all [--dry-run] [--json]`: evaluate now; a Nagios plugin by its output and exit."""

from __future__ import annotations

import argparse
import json
import logging
from typing import TYPE_CHECKING, Any

from checks.registry import CHECKS, active_checks
from cli.common import add_account_option, chosen_accounts, fail, settings_or_exit
from config import Settings
from core.results import CheckResult, nagios_line
from core.status import Status
from core.untrusted import clean

if TYPE_CHECKING:
    from jobs.cycle import CycleReport

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "check",
        parents=[common],
        help="evaluate one check, or all, now",
        description=(
            "Evaluate now, update alert state and deliver what is due. Exit 0 OK, 1 WARNING, "
            "2 CRITICAL, 3 UNKNOWN; `all` exits with the worst (CRITICAL > UNKNOWN > WARNING)."
        ),
    )
    parser.add_argument("name", metavar="NAME", help=f"one of: {', '.join(CHECKS)}, or all")
    parser.add_argument(
        "--dry-run", action="store_true", help="only evaluate: no state change, no notification"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    add_account_option(parser, "every account: one line each, the worst first")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.name != "all" and args.name not in CHECKS:
        fail(f"no check named {args.name!r} (valid: {', '.join(CHECKS)}, all)", nagios=True)
    settings = settings_or_exit(args, nagios=True)
    # `all` leaves out `skip_checks`; a check asked for by name always runs.
    checks = active_checks(settings.app.skip_checks) if args.name == "all" else [CHECKS[args.name]]
    accounts = chosen_accounts(settings, args, nagios=True)
    from jobs.cycle import CycleOptions, run_fleet
    from jobs.runtime import Runtime

    runtime = Runtime(settings)
    try:
        members = [member for member in runtime.fleet() if member.settings.account in accounts]
        reports = run_fleet(members, checks, CycleOptions(dry_run=args.dry_run))
        failure = next((report.failure for report in reports if report.failure), "")
        if not args.dry_run and not failure:
            _ping_deadman(settings, args.name)
    finally:
        runtime.close()
    problem = f"alert state not recorded: {failure}" if failure else ""
    if len(reports) > 1:
        print(_fleet_json(reports, problem) if args.json else _fleet_text(reports, problem))
        return int(_worst_of(reports, problem))
    [report] = reports
    results = report.results
    statuses = [result.status for result in results] + ([Status.UNKNOWN] if problem else [])
    worst = Status.worst(statuses)
    if args.json:
        document = _document(report.account, report.started_at.isoformat(), worst, results)
        document["error"] = problem or None
        print(json.dumps(document, indent=2))
    else:
        print("\n".join(_text(results, worst) + ([f"UNKNOWN - {problem}"] if problem else [])))
    return int(worst)


def _ping_deadman(settings: Settings, name: str) -> None:
    """A cron set-up's dead-man's switch: a complete, recorded `check all` is a healthy cycle."""
    url = settings.app.monitoring.deadman_url
    if url is not None and name == "all":
        from jobs.deadman import ping

        ping(url.get_secret_value())


def _text(results: list[CheckResult], worst: Status) -> list[str]:
    if len(results) == 1:
        result = results[0]
        return [result.status_line(), *_details(result)]
    not_ok = [result for result in results if result.status is not Status.OK]
    counts = {status: sum(r.status is status for r in results) for status in Status}
    if not_ok:
        headline = f"{len(not_ok)} of {len(results)} checks not OK: " + ", ".join(
            f"{result.name} {result.status.name}" for result in not_ok
        )
    else:
        headline = f"all {len(results)} checks OK"
    perf = [f"{status.name.lower()}={count}" for status, count in counts.items()]
    perf += [f"{r.name}_{datum.render()}" for r in results for datum in r.perfdata]
    return [nagios_line(f"{worst.name} - {headline}", perf)] + [r.status_line() for r in results]


def _worst_of(reports: list[CycleReport], problem: str) -> Status:
    statuses = [result.status for report in reports for result in report.results]
    return Status.worst(statuses + ([Status.UNKNOWN] if problem else []))


def _fleet_text(reports: list[CycleReport], problem: str) -> str:
    """A summary line for the fleet, then each account's own status line."""
    worst = _worst_of(reports, problem)
    each = {r.account: Status.worst(result.status for result in r.results) for r in reports}
    not_ok = [f"{name} {status.name}" for name, status in each.items() if status is not Status.OK]
    headline = (
        f"{len(not_ok)} of {len(each)} accounts not OK: {', '.join(not_ok)}"
        if not_ok
        else f"all {len(each)} accounts OK"
    )
    counts = [f"{s.name.lower()}={sum(v is s for v in each.values())}" for s in Status]
    lines = [f"{worst.name} - {headline} | {' '.join(counts)}"]
    lines += [f"{r.account}: {_text(r.results, each[r.account])[0]}" for r in reports]
    return "\n".join(lines + ([f"UNKNOWN - {problem}"] if problem else []))


def _fleet_json(reports: list[CycleReport], problem: str) -> str:
    worst = _worst_of(reports, problem)
    document = {
        "status": worst.name,
        "exit_code": int(worst),
        "accounts": [
            _document(
                r.account,
                r.started_at.isoformat(),
                Status.worst(result.status for result in r.results),
                r.results,
            )
            for r in reports
        ],
        "error": problem or None,
    }
    return json.dumps(document, indent=2)


def _details(result: CheckResult) -> list[str]:
    lines = [f"{key}: {_compact(value)}" for key, value in result.context.items()]
    if result.runbook and result.status is not Status.OK:
        lines.append(f"runbook: {result.runbook}")
    return lines


def _compact(value: Any) -> str:
    """A context value for the plugin's long output: no terminal control characters."""
    return clean(value if isinstance(value, str) else json.dumps(value, default=str))


def _document(
    account: str, checked_at: str, worst: Status, results: list[CheckResult]
) -> dict[str, Any]:
    return {
        "account": account,
        "status": worst.name,
        "exit_code": int(worst),
        "checked_at": checked_at,
        "results": [result.to_dict() for result in results],
    }
