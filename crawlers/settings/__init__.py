"""Scrapy settings: base.py shared, live.py for the real services, replay.py for recordings."""
