"""Pieces every feature shares: database seam, errors, time, text, web helpers."""
