"""Pages of the bad-review work orders: the inbox, the detail with its actions, the managers' board."""

from django_htmx.middleware import HtmxDetails

from evaluations.http import AuthedRequest


class HtmxRequest(AuthedRequest):
    """For annotations: the request of a view that also answers htmx (HtmxMiddleware sets ``htmx``)."""

    htmx: HtmxDetails
