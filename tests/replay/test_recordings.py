"""The recordings say what they are: answers vendored verbatim from ccxt's static test
recordings (`ccxt-static.json`, served through `body_from`), derived from those with the
change named, ccxt's docstring examples (`*.example.json`), or synthetic."""

from __future__ import annotations

import json
from functools import reduce
from typing import Any

from emulator.replay import STATIC, STATIC_MARKETS, vendored_answer
from tests.replay.profiles import RECORDINGS

KINDS = (".example.json", ".synthetic.json", ".derived.json")
# Exchanges whose answers ccxt records under another name: binanceusdm has no file of its own
# (its USD-M futures answers are in binance.json, the class it extends), and ccxt 4.5.90's
# bitfinex is the former bitfinex2 (API v2), whose answers ccxt keeps under the old name
RECORDED_AS = {"binanceusdm": "binance", "bitfinex": "bitfinex2"}


def _at(document: Any, keys: list[Any]) -> Any:
    """The part of `document` at `keys`; a key "1:" takes a list from its second item on."""
    return reduce(lambda value, key: value[_key(key)], keys, document)


def _key(key: Any) -> Any:
    if isinstance(key, str) and ":" in key:
        start, _, stop = key.partition(":")
        return slice(int(start) if start else None, int(stop) if stop else None)
    return key


def test_vendored_answers_name_their_origin():
    for path in RECORDINGS.glob(f"*/{STATIC}"):
        origin = json.loads(path.read_text())["origin"]
        recorded_as = RECORDED_AS.get(path.parent.name, path.parent.name)
        assert origin["path"] == f"ts/src/test/static/response/{recorded_as}.json", path
        assert len(origin["commit"]) == 40 and "MIT" in origin["licence"], path


def test_derived_recordings_keep_their_verbatim_parts():
    derived = sorted(RECORDINGS.glob("*/*.derived.json"))
    assert derived
    for path in derived:
        document = json.loads(path.read_text())
        how = document["derived"]
        verbatim = vendored_answer(path.parent / STATIC, **how["from"])
        assert how["changed"], path
        for kept in how["kept"]:
            # the same place in both, or {"from": where in the verbatim answer, "to": where
            # in this one} when the request answered puts it elsewhere (a list of one ticker)
            source, target = (kept["from"], kept["to"]) if isinstance(kept, dict) else (kept, kept)
            assert _at(document["body"], target) == _at(verbatim, source), (path, kept)


def test_every_recording_says_what_it_is():
    for path in RECORDINGS.glob("*/*.json"):
        if path.name in (STATIC, STATIC_MARKETS):
            continue
        document = json.loads(path.read_text())
        verbatim = "body_from" in document
        assert verbatim != path.name.endswith(KINDS), path
        assert verbatim != ("body" in document), path
        if verbatim:
            assert document["source"].startswith("verbatim: "), path
            vendored_answer(path.parent / STATIC, **document["body_from"])
