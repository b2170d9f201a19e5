"""What the property-based tests share: bounded settings, value strategies mixing good and
bad input, and the oracle that says which values are numbers."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(examples: int) -> settings:
    """At most `examples` inputs, each within 5 s (a shared CI machine is slow, a hang is
    not), no example database written to disk."""
    return settings(
        max_examples=examples,
        deadline=timedelta(seconds=5),
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def is_number(value: object) -> bool:
    """A finite number, written as one (not a boolean) or as numeric text."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    try:
        return isinstance(value, int | float) and math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def one_line(message: str) -> bool:
    return bool(message.strip()) and "\n" not in message and "Traceback" not in message


# What a careless writer puts where a number or a time belongs.
scalars = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.text(max_size=12),
    st.sampled_from(["1e400", "NaN", "inf", "-0.0", "0x10", " 12 ", "1_000"]),
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)

# Times across the whole range: long before 2009, around now, far ahead.
_NOW = datetime.now(UTC)
times = st.one_of(
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(
        min_value=(_NOW - timedelta(days=3)).replace(tzinfo=None),
        max_value=(_NOW + timedelta(days=3)).replace(tzinfo=None),
        timezones=st.just(UTC),
    ),
)
time_values = st.one_of(
    times.map(lambda moment: moment.isoformat()),
    times.map(lambda moment: moment.timestamp()),
    scalars,
)
