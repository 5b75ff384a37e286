"""Who may use the device pages, and the one way each object is fetched (CONVENTIONS §4).

Hall managers, management offices and system administrators keep the devices of the halls in their
data scope (``visible_to``); a window clerk opens the page of the window they are posted at.
Anything outside a user's scope is a 404, whether it exists or not.
"""

from django.http import Http404

from evaluations.access import role_required
from evaluations.http import AuthedRequest
from evaluations.models import Hall, Shift, Staff, User, Window
from evaluations.roles import DEVICE_MANAGERS
from evaluations.scope import visible_to

from .models import Device

managers_only = role_required(DEVICE_MANAGERS)


def is_device_manager(user: User) -> bool:
    return user.is_active and (user.role in DEVICE_MANAGERS or user.is_superuser)


def halls_for_user(user: User):
    return visible_to(user, Hall.objects.filter(active=True).select_related("region")).order_by("code")


def get_hall_for_user(request: AuthedRequest, code: str) -> Hall:
    hall = halls_for_user(request.user).filter(code=code).first()
    if hall is None:
        raise Http404("no such hall in scope")
    return hall


def get_window_for_user(request: AuthedRequest, code: str) -> Window:
    """A window in the user's data scope (any role: the QR image only encodes a public URL)."""
    window = visible_to(request.user, Window.objects.select_related("hall__region")).filter(code=code).first()
    if window is None:
        raise Http404("no such window in scope")
    return window


def get_window_for_clerk(request: AuthedRequest, code: str) -> Window:
    """The window a clerk is posted at (Staff.user = them) or signed in at now (an open shift), or any
    window in a manager's scope."""
    user = request.user
    if is_device_manager(user):
        return get_window_for_user(request, code)
    posted = Staff.objects.filter(user=user, active=True, window__code=code).select_related("window__hall")
    staff = posted.first()
    if staff is not None:
        assert staff.window is not None  # the query matched on window__code
        return staff.window
    shift = (
        Shift.objects.filter(staff__user=user, staff__active=True, ended_at__isnull=True, window__code=code)
        .select_related("window__hall")
        .first()
    )
    if shift is None:
        raise Http404("not posted at this window")
    return shift.window


def get_device_for_user(request: AuthedRequest, pk: int) -> Device:
    device = visible_to(request.user, Device.objects.select_related("hall", "window")).filter(pk=pk).first()
    if device is None:
        raise Http404("no such device in scope")
    return device
