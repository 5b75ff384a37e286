"""The app's admin, each feature's in its package; imported here for admin autodiscovery."""

from .circulars import admin as circulars
from .exports import admin as exports
from .revisits import admin as revisits
from .rollups import admin as rollups
from .upstream import admin as upstream

__all__ = ["circulars", "exports", "revisits", "rollups", "upstream"]
