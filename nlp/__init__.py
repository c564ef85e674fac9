"""Extraction of vendors, organisations, people and policy actions with evidence.

Runs on spacy.blank("en"): gazetteers and triggers are span rulers loaded from
nlp/patterns/*.jsonl; nlp/components.py adds the rules. Nothing here knows
about Scrapy or SQLite.
"""
