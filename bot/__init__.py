"""simbot: answers questions about Japanese mobile plans from a curated knowledge base."""

__version__ = "0.1.0"
