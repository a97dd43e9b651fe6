from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from faireavec.core.notifications import notifications_mark_read, notifications_of_user


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_of_user(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page_obj": page})


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications")
