"""The citizens' lookup page: a dossier's state by its code, nothing personal."""
