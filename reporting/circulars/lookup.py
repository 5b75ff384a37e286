"""Fetching a circular for a request: within the user's scope (404), and for changing it, only by the
office of the circular's own region (403): each level issues its own circular (Ganzhou art. 20), so the
city office reads its counties' circulars but does not edit, freeze, publish or withdraw them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from evaluations.http import AuthedRequest
from evaluations.scope import visible_to
from reporting.models import Circular


def get_circular_for_user(request: AuthedRequest, pk: int) -> Circular:
    queryset = Circular.objects.select_related("region", "created_by", "corrects")
    found = visible_to(request.user, queryset).filter(pk=pk).first()
    if found is None:
        raise Http404(_("没有找到该通报，或您无权查看。"))
    return found


def is_own_office(request: AuthedRequest, circular: Circular) -> bool:
    user = request.user
    return user.is_superuser or user.has_global_scope or user.region_id == circular.region_id


def get_own_circular(request: AuthedRequest, pk: int) -> Circular:
    circular = get_circular_for_user(request, pk)
    if not is_own_office(request, circular):
        raise PermissionDenied(_("只有本级政务服务管理部门可以修改本级通报。"))
    return circular
