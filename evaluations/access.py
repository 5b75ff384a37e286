"""Page access shared by every app: log in, then the user's role must be one the view names."""

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(roles: AbstractSet[str]) -> Callable:
    """Log in first; then a user whose role is not in ``roles`` gets 403."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles and not request.user.is_superuser:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
