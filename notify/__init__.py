"""Notification channels, one small class each, and the delivery of the outbox to them."""
