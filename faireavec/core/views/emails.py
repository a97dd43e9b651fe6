"""Back-office page of the emails that could not be delivered."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from faireavec.core.notifications import notifications_undelivered
from faireavec.core.permissions import permission_required


@permission_required("core.view_undelivered_emails")
def undelivered_email_list(request: HttpRequest) -> HttpResponse:
    """Notifications of the organisation whose email failed at every try: the
    administrators can check those people's addresses."""
    undelivered = notifications_undelivered(organisation=request.organisation)
    page = Paginator(undelivered, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/undelivered_email_list.html",
        {"page_obj": page, "tries": len(settings.NOTIFICATION_EMAIL_RETRY_DELAYS) + 1},
    )
