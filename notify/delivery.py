"""Deliver what is due in the outbox: claim, send, mark; retry with backoff; give up late.

Channels are served in parallel, so a receiver that hangs delays only its own rows. When a
receiver fails with a retryable error, the rest of its claimed rows are put back untried:
one timeout per receiver per pass, not one per row.

A claim's lease covers one send and is renewed just before it: a runner killed mid-send
holds that row (and the alert's later rows behind it) for one lease at most, and not at all
once a runner on the same host sees that the process is gone. A retried row keeps its
notification id, sent as `X-Alert-Matrix-Notification`, so a receiver can drop a repeat.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from config.models import Delivery
from core import clock
from notify.base import Channel, DeliveryError
from notify.runners import is_dead, worker_id
from store.db import Database
from store.outbox import (
    Claimed,
    claim_due,
    mark_failed,
    mark_retry,
    mark_sent,
    release_dead,
    renew,
)

log = logging.getLogger(__name__)

_MAX_RETRY_AFTER_SECONDS = 3600.0
_UNTRIED = "not tried: the receiver failed just before"
# requests bounds the connect and each read separately: one send may take two timeouts.
_LEASE_MARGIN_SECONDS = 5.0


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class Deliverer:
    """Delivers the outbox of one database to a fixed set of channels."""

    def __init__(self, database: Database, channels: dict[str, Channel], policy: Delivery) -> None:
        self.database = database
        self.channels = channels
        self.policy = policy
        self.worker = worker_id()
        self.leases = {name: send_lease(channel.timeout) for name, channel in channels.items()}
        self.lease = max(self.leases.values(), default=send_lease(0.0))

    def deliver_due(self) -> DeliveryReport:
        """Deliver until nothing is due or the time budget is spent. A receiver that failed
        once in this call is not tried again in it: its rows wait for their backoff."""
        report = DeliveryReport()
        down: set[str] = set()  # receivers that failed in this call
        deadline = time.monotonic() + self.policy.budget_seconds
        while time.monotonic() < deadline:
            with self.database.write() as session:
                now = clock.utcnow()
                release_dead(session, is_dead, now)
                claimed = claim_due(session, self.worker, now, self.lease, self.policy.batch_size)
            if not claimed:
                break
            by_channel: dict[str, list[Claimed]] = defaultdict(list)
            for item in claimed:
                by_channel[item.channel].append(item)
            with ThreadPoolExecutor(max_workers=len(by_channel)) as pool:
                deliver = partial(self._deliver_to, down=down)
                for done in pool.map(deliver, by_channel, by_channel.values()):
                    report.sent += done.sent
                    report.retrying += done.retrying
                    report.failed += done.failed
                    report.errors += done.errors
        return report

    def _deliver_to(self, name: str, items: list[Claimed], *, down: set[str]) -> DeliveryReport:
        report = DeliveryReport()
        channel = self.channels.get(name)
        if name in down:
            self._put_back(items, report)
            return report
        if channel is None:
            for item in items:
                self._fail(item, f"channel {name!r} is no longer configured", report)
            return report
        for index, item in enumerate(items):
            if not self._renew(item):
                continue  # its lease ran out while it waited and another runner took it
            try:
                channel.send(item.notification, item.notification_id)
            except DeliveryError as error:
                if not error.retryable:
                    self._fail(item, str(error), report)
                    continue
                self._retry(item, error, report)
                down.add(name)
                self._put_back(items[index + 1 :], report)
                break
            except Exception as error:  # a channel bug must not lose the row: retry it
                log.exception("channel %s raised while sending", name)
                self._retry(item, DeliveryError(type(error).__name__, retryable=True), report)
            else:
                with self.database.write() as session:
                    mark_sent(session, item.id, self.worker, clock.utcnow())
                report.sent += 1
        return report

    def _renew(self, item: Claimed) -> bool:
        until = clock.utcnow() + self.leases.get(item.channel, self.lease)
        with self.database.write() as session:
            return renew(session, item.id, self.worker, until)

    def _retry(self, item: Claimed, error: DeliveryError, report: DeliveryReport) -> None:
        now = clock.utcnow()
        if now - item.created_at >= timedelta(seconds=self.policy.give_up_after_seconds):
            self._fail(item, f"gave up after {item.attempts} attempts: {error}", report)
            return
        delay = self.backoff(item.attempts)
        if error.retry_after is not None:  # the receiver said when: not before, and not never
            delay = min(max(error.retry_after, 1.0), _MAX_RETRY_AFTER_SECONDS)
        with self.database.write() as session:
            mark_retry(session, item.id, self.worker, now + timedelta(seconds=delay), str(error))
        log.warning(
            "delivery of %s to %s failed (attempt %d), retrying in %.0fs: %s",
            item.alert_key,
            item.channel,
            item.attempts,
            delay,
            error,
        )
        report.retrying += 1
        report.errors.append(f"{item.channel}: {error}")

    def _put_back(self, items: list[Claimed], report: DeliveryReport) -> None:
        """Rows not tried because their receiver is down: back to the queue, one transaction."""
        if not items:
            return
        later = clock.utcnow() + timedelta(seconds=self.backoff(1))
        with self.database.write() as session:
            for item in items:
                mark_retry(session, item.id, self.worker, later, _UNTRIED, counted=False)
        report.retrying += len(items)

    def _fail(self, item: Claimed, error: str, report: DeliveryReport) -> None:
        with self.database.write() as session:
            mark_failed(session, item.id, self.worker, error)
        log.error("delivery of %s to %s failed for good: %s", item.alert_key, item.channel, error)
        report.failed += 1
        report.errors.append(f"{item.channel}: {error}")

    def backoff(self, attempts: int) -> float:
        """initial * 2^(attempts-1), capped."""
        delay = self.policy.backoff_initial_seconds * 2 ** max(attempts - 1, 0)
        return min(delay, self.policy.backoff_max_seconds)


def send_lease(timeout: float) -> timedelta:
    """How long one send to a receiver with this timeout may hold its row."""
    return timedelta(seconds=2 * timeout + _LEASE_MARGIN_SECONDS)
