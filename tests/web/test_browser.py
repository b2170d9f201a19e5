"""The status page in a real browser (headless Chromium through Selenium) against the real
daemon on the exchange emulator. Screenshots go to tests/artifacts/ (not committed)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.redact import WEB_TOKEN_ENV
from tests.conftest import ROOT, free_port, wait_healthy
from tests.web.conftest import TOKEN

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
POSITIONS = {"BTC-USDT": 0.6, "ETH-USDT": 4.0, "SOL-USD": 30.0}  # what the emulator holds
# Would set the title, or raise a dialog, if the page ran it.
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"

if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("chromium and chromium-driver are missing (.ci/run installs them)")
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)


@pytest.fixture
def daemon(workspace, emulator):
    """The daemon on the emulator, its page behind a token; yields the page's address."""
    port = free_port()
    workspace.use_exchange(emulator, "binance", {"markets_ttl_seconds": 0})
    workspace.write_app(
        workspace.config.joinpath("app.yaml").read_text() + f"server: {{port: {port}}}\n"
        "schedule: {default: 1, delivery: 1, ingest: 1}\n"
        "monitoring: {alert_service: {escalation_seconds: 600}}\n"
    )
    stamp = datetime.now(UTC).isoformat()
    positions = {symbol: {"quantity": quantity} for symbol, quantity in POSITIONS.items()}
    workspace.write_state({"updated_at": stamp, "positions": positions})
    process = workspace.spawn("run", env={WEB_TOKEN_ENV: TOKEN})
    try:
        wait_healthy(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        assert workspace.stop(process) == 0, workspace.daemon_log


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,2200",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    # Alice signs in: basic auth on every request, fetches of the refresh script included.
    driver.execute_cdp_cmd("Network.enable", {})
    credentials = base64.b64encode(f"alice:{TOKEN}".encode()).decode()
    headers = {"Authorization": f"Basic {credentials}"}
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(predicate, timeout: float = 20, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


# The page swaps its body every few seconds, so elements are read and pressed in one script
# (an element found by one call may be gone by the next).
def _state(driver, key: str) -> str | None:
    row = "document.querySelector(`tr[data-key='${arguments[0]}']`)"
    return driver.execute_script(f"return {row} && {row}.dataset.state;", key)


def _text(driver, selector: str) -> str:
    return driver.execute_script("return document.querySelector(arguments[0]).innerText;", selector)


def _press(driver, selector: str, **fields: str) -> None:
    """Fill the fields of the form holding `selector`, then press it, as one step."""
    driver.execute_script(
        "const button = document.querySelector(arguments[0]);"
        "for (const [name, value] of Object.entries(arguments[1]))"
        "  button.form.elements[name].value = value;"
        "button.click();",
        selector,
        fields,
    )


def _shoot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))


def test_the_operator_watches_and_acts_from_the_browser(workspace, emulator, daemon, browser):
    from selenium.webdriver.common.by import By

    key = "default:kill_switch"
    workspace.kill_switch.write_text(HOSTILE)
    browser.get(daemon + "/")
    browser.execute_script("window.notReloaded = true;")

    # The board shows the firing kill switch, refreshed in place (no reload).
    _wait(lambda: _state(browser, key) == "FIRING", what="the kill switch on the board")
    assert browser.execute_script("return window.notReloaded === true;")
    # The hostile file is text: nothing ran, the markup is visible as written.
    assert browser.title != "pwned"
    assert "<script>document.title='pwned'</script>" in _text(browser, f'tr[data-key="{key}"]')
    assert not browser.find_elements(By.CSS_SELECTOR, "tr[data-key] img")

    # The equity plot draws its points and its limit lines (once the loss checks ran twice).
    def plotted() -> bool:
        browser.get(daemon + "/")
        points, kinds = browser.execute_script(
            "const series = document.querySelector('polyline.series');"
            "const lines = document.querySelectorAll('line.level');"
            "return [series ? Number(series.dataset.points) : 0,"
            "        Array.from(lines, line => line.dataset.kind)];"
        )
        return points >= 2 and {"daily_limit", "weekly_limit", "drawdown_limit", "peak"} <= set(
            kinds
        )

    _wait(plotted, timeout=30, what="equity points and limit lines")
    assert browser.title != "pwned"

    # A silence shows, then expires while the board is open.
    browser.get(f"{daemon}/alert/{key}")
    _press(browser, "button.silence", duration="6s", reason="drill")
    _wait(lambda: "done=silence" in browser.current_url, what="the silence")
    assert _text(browser, "#alert-state") == "SILENCED"
    assert "by alice: drill" in _text(browser, ".timeline")
    browser.get(daemon + "/")
    assert _state(browser, key) == "SILENCED"
    _wait(lambda: _state(browser, key) == "FIRING", timeout=20, what="the silence to expire")

    # The ack button acknowledges, and the CLI's status agrees.
    _press(browser, f'button.ack[data-key="{key}"]')
    _wait(lambda: _state(browser, key) == "ACKNOWLEDGED", what="the acknowledgement")
    status = workspace.run("status", "--json")
    rows = {row["key"]: row for row in json.loads(status.stdout)["alerts"]}
    assert rows[key]["state"] == "ACKNOWLEDGED", status.stdout
    history = workspace.run("history", "--key", key)
    assert "acknowledged" in history.stdout and "by alice" in history.stdout

    browser.get(f"{daemon}/alert/{key}")
    timeline = _text(browser, ".timeline")
    for event in ("firing", "silenced", "acknowledged"):
        assert event in timeline
    assert "console" in _text(browser, ".deliveries")
    assert browser.title != "pwned"
    _shoot(browser, "alert-kill-switch.png")

    # A crash of 15 %: the loss alerts fire and the curve falls through its limit lines.
    for symbol, ticker in emulator.state.snapshot().tickers.items():
        emulator.state.set_ticker(symbol, ticker.last * 0.85, ticker.quote_volume)
    browser.get(daemon + "/")
    _wait(lambda: _state(browser, "default:drawdown") == "FIRING", what="the drawdown alert")
    time.sleep(3)  # a few more snapshots after the fall
    browser.get(daemon + "/")
    _shoot(browser, "board.png")
    browser.get(f"{daemon}/alert/default:drawdown")
    assert "halt_trading" in _text(browser, ".what-to-do")
    _shoot(browser, "alert.png")
    assert TOKEN not in Path(workspace.root / "daemon.log").read_text()
