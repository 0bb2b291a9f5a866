"""The commune-side sync engine: outbox, transport, bundles, scheduler."""
