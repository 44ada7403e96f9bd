from django.urls import URLPattern

from ctoready.api.api import api
from ctoready.api.guard import guarded

app_name = "api"

urlpatterns = [
    *api.urls[0],
]
for pattern in urlpatterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = guarded(pattern.callback)
