"""Untrusted text is bounded once, as a notification is made, whatever its size or content."""

from __future__ import annotations

import json

from core.notification import Notification
from core.untrusted import CONTEXT_MAX, CUT_NOTE, ITEMS_MAX, TEXT_MAX, bound_context, clean, cut
from tests.channels.sample import notification

RTL = "\u202e"


def test_clean_keeps_lines_and_drops_controls_and_bidi_overrides():
    assert clean("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert clean(f"exe.{RTL}gnp\u2066x\u2069\x1b[31m\x00\x7f\x9b\tend") == "exe.gnpx[31m end"


def test_cut_says_how_much_was_cut_and_stays_within_the_limit():
    assert cut("short", 10) == "short"
    cut_text = cut("x" * 5000, 100)
    assert len(cut_text) == 100 and cut_text.endswith("… [4,924 characters cut]")


def test_a_notification_bounds_its_message_title_and_context():
    huge = notification(
        title="Title\nwith a newline " * 50,
        message="boom " + "y" * 1_048_576,
        context={
            "latest_traceback": "t" * 900_000,
            "symbols": list(range(500)),
            "by_symbol": {f"S{i}": "v" * 1500 for i in range(40)},
            f"bad{RTL}key": "\x1b[2Jclear",
        },
    )
    assert len(huge.message) == TEXT_MAX and huge.message.endswith("characters cut]")
    assert "\n" not in huge.title and len(huge.title) <= 200
    context = huge.context
    assert len(json.dumps(context, ensure_ascii=False)) <= CONTEXT_MAX
    assert len(context["symbols"]) == ITEMS_MAX + 1
    assert "450 more items cut" in context["symbols"][-1]
    assert context["badkey"] == "[2Jclear"
    assert set(context) == {"latest_traceback", "symbols", "by_symbol", "badkey"}


def test_a_context_too_large_even_cut_short_names_what_it_left_out():
    context = {f"k{i}": {f"n{j}": "v" * 200 for j in range(40)} for i in range(10)}
    bounded = bound_context(context)
    assert len(json.dumps(bounded, ensure_ascii=False)) <= CONTEXT_MAX
    assert "left out" in bounded[CUT_NOTE]
    left_out = bounded[CUT_NOTE].split(": ", 1)[1].split(", ")
    assert set(left_out) | (set(bounded) - {CUT_NOTE}) == set(context)


def test_bounded_values_survive_the_outbox_unchanged():
    made = notification(message="m" * 10_000, context={"x": "\x07bell"})
    assert Notification.from_json(made.to_json()) == made
