"""printkit: YAML decks of study cards to printable PDFs."""

__version__ = "0.1.0"
