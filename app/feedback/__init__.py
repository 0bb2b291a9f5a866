"""Citizen feedback and petitions (phản ánh, kiến nghị)."""
