from django.http import HttpResponse
from django.urls import path

from faireavec.core.checks import check_view_permissions_have_rules
from faireavec.core.permissions import permission_required


@permission_required("core.view_something_nobody_declared")
def _orphan_view(request):
    return HttpResponse()


urlpatterns = [path("orphan/", _orphan_view)]


def test_every_routed_permission_has_a_rule():
    """core's views (activity log, jobs…) get their rules from organisations."""
    assert check_view_permissions_have_rules() == []


def test_a_permission_without_a_rule_fails_the_check(settings):
    settings.ROOT_URLCONF = __name__
    errors = check_view_permissions_have_rules()
    assert [e.id for e in errors] == ["faireavec.E001"]
    assert "core.view_something_nobody_declared" in errors[0].msg
