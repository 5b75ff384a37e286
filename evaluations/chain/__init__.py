"""The hash chain over ratings and rulings: canonical forms, and verification (sealing is a service)."""
