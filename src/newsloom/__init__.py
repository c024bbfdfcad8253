"""newsloom: events, storylines, entities, quotes and claim-level coverage comparison for news articles."""

__version__ = "0.1.0"
