import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctoready.settings")
django_application = get_wsgi_application()

from ctoready.assessments.pagepath import in_front  # noqa: E402 - needs the settings above
from ctoready.lib.env import require_secret_key  # noqa: E402

require_secret_key()
# Plain autosaves with the page's key, and plain GETs of an assessment page, are answered
# in front of Django (see the modules).
application = in_front(django_application)
