"""The bot's state file: symbols normalised, bad input named by file and field."""

from __future__ import annotations

import pytest

from sources.errors import SourceError
from sources.state_file import read_state


def _write(tmp_path, text):
    path = tmp_path / "state.json"
    path.write_text(text)
    return path


def test_symbols_with_dash_or_slash_are_the_same(tmp_path):
    state = read_state(
        _write(
            tmp_path,
            '{"positions": {"BTC-USD": {"quantity": 0.01, "entry_price": 50000},'
            ' "eth/usd": {"quantity": "0.5"}}}',
        )
    )
    assert set(state.positions) == {"BTC/USD", "ETH/USD"}
    assert state.positions["ETH/USD"].quantity == 0.5  # numeric strings are numbers
    assert state.positions["BTC/USD"].entry_price == 50000.0


def test_wrongly_typed_quantity_names_file_and_field(tmp_path):
    path = _write(tmp_path, '{"positions": {"BTC-USD": {"quantity": "lots"}}}')
    with pytest.raises(SourceError) as caught:
        read_state(path)
    message = str(caught.value)
    assert str(path) in message
    assert "positions.BTC-USD.quantity" in message
    assert "'lots'" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("[]", "top level must be a JSON object"),
        ('{"updated_at": "2026-11-27T14:00:00Z"}', "positions: Field required"),
        ('{"positions": {"BTC-USD": {"quantity": true}}}', "not a boolean"),
        ('{"positions": {"BTC-USD": {"quantity": NaN}}}', "positions.BTC-USD.quantity"),
        ('{"positions": {}, "updated_at": "yesterday"}', "updated_at"),
        ('{"positions": {"BTC-USD": {"quantity": 1}, "BTC/USD": {"quantity": 2}}}', "repeats"),
    ],
)
def test_bad_state_files_are_named(tmp_path, text, expected):
    with pytest.raises(SourceError, match=expected):
        read_state(_write(tmp_path, text))


def test_equity_fields_are_optional_and_read(tmp_path):
    state = read_state(
        _write(tmp_path, '{"positions": {}, "equity": 10234.5, "peak_equity": 11500}')
    )
    assert state.equity == 10234.5 and state.peak_equity == 11500.0
    assert state.day_start_equity is None
