"""Extraction of vendors, organisations, people and policy actions with evidence.

Runs on spacy.blank("en"): gazetteers and triggers are span rulers loaded from
the topic's patterns/*.jsonl (topics/<name>/); nlp/components.py adds the rules.
Nothing here knows about Scrapy or SQLite.
"""
