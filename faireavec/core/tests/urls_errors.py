"""The project's URLs plus one view that fails, for the 500 page's tests."""

from django.urls import path

from config.urls import handler400, handler403, handler404
from config.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("a bug, for the test")


urlpatterns = [path("essai-erreur/", fail), *project_urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "urlpatterns"]
