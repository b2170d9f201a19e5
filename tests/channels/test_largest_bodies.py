"""Whatever a bot writes, every channel's body stays within its receiver's published
limits (the figures: `bench/largest_bodies.py`)."""

from __future__ import annotations

import json

from notify.channels.discord import embed_length
from notify.text import length
from tests.channels.adversarial import adversarial, bodies


def test_every_channel_body_fits_its_receiver_for_adversarial_text():
    for made in adversarial():
        sent = bodies(made)
        assert len(sent["pagerduty"]) < 512 * 1024
        trigger = json.loads(sent["pagerduty"])
        assert len(trigger["dedup_key"]) <= 255 and len(trigger["payload"]["summary"]) <= 1024
        slack = json.loads(sent["slack"])
        assert len(slack["blocks"]) <= 50 and length(slack["text"]) <= 3000
        for block in slack["blocks"]:
            assert len(block.get("fields", [])) <= 10
            assert all(length(f["text"]) <= 2000 for f in block.get("fields", []))
            assert length(block.get("text", {}).get("text", "")) <= 3000
        assert length(slack["blocks"][0]["text"]["text"]) <= 150
        assert length(json.loads(sent["telegram"])["text"]) <= 4096
        discord = json.loads(sent["discord"])
        [embed] = discord["embeds"]
        assert length(discord["content"]) <= 2000 and embed_length(embed) <= 6000
        assert len(embed["fields"]) <= 25 and length(embed["title"]) <= 256
        assert length(embed["description"]) <= 4096
        assert all(length(f["value"]) <= 1024 for f in embed["fields"])
        assert len(sent["email"]) < 1024 * 1024
