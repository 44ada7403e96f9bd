import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctoready.settings")
application = get_wsgi_application()

from ctoready.lib.env import require_secret_key  # noqa: E402 - needs the settings above

require_secret_key()
