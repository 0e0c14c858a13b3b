"""Finding embedded posts."""
