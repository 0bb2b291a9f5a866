"""One-stop administrative-procedure dossiers."""
