from django.urls import URLPattern, path

from ctoready.api import docs
from ctoready.api.api import api
from ctoready.api.guard import guarded

app_name = "api"

urlpatterns = [
    path("docs/assets/<str:name>", docs.asset, name="docs-asset"),
    *api.urls[0],
]
for pattern in urlpatterns[1:]:
    if isinstance(pattern, URLPattern):
        pattern.callback = guarded(pattern.callback)
