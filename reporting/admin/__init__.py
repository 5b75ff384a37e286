from . import reports, upstream

__all__ = ["reports", "upstream"]
