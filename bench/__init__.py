"""`make bench`: every stage measured as a ratio against its limit, side by side in one run."""
