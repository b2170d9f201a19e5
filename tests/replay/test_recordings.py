"""The recordings say what they are: answers vendored verbatim from ccxt's static test
recordings (`ccxt-static.json`, served through `body_from`), derived from those with the
change named, ccxt's docstring examples (`*.example.json`), or synthetic."""

from __future__ import annotations

import json
from functools import reduce
from typing import Any

from emulator.replay import STATIC, vendored_answer
from tests.replay.profiles import RECORDINGS

KINDS = (".example.json", ".synthetic.json", ".derived.json")


def _at(document: Any, keys: list[Any]) -> Any:
    return reduce(lambda value, key: value[key], keys, document)


def test_vendored_answers_name_their_origin():
    for path in RECORDINGS.glob(f"*/{STATIC}"):
        origin = json.loads(path.read_text())["origin"]
        assert origin["path"] == f"ts/src/test/static/response/{path.parent.name}.json"
        assert len(origin["commit"]) == 40 and "MIT" in origin["licence"], path


def test_derived_recordings_keep_their_verbatim_parts():
    derived = sorted(RECORDINGS.glob("*/*.derived.json"))
    assert derived
    for path in derived:
        document = json.loads(path.read_text())
        how = document["derived"]
        verbatim = vendored_answer(path.parent / STATIC, **how["from"])
        assert how["changed"], path
        for kept in how["kept"]:  # a path kept in place, or moved: {"body": .., "verbatim": ..}
            moved = isinstance(kept, dict)
            mine, theirs = (kept["body"], kept["verbatim"]) if moved else (kept, kept)
            assert _at(document["body"], mine) == _at(verbatim, theirs), (path, kept)


def test_every_recording_says_what_it_is():
    for path in RECORDINGS.glob("*/*.json"):
        if path.name == STATIC:
            continue
        document = json.loads(path.read_text())
        verbatim = "body_from" in document
        assert verbatim != path.name.endswith(KINDS), path
        assert verbatim != ("body" in document), path
        if verbatim:
            assert document["source"].startswith("verbatim: "), path
            vendored_answer(path.parent / STATIC, **document["body_from"])
