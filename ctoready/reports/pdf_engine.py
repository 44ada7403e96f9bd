"""The WeasyPrint side of PDF rendering, imported only where PDFs are made."""

import mimetypes
import ssl

import weasyprint

from ctoready.reports.pdf import FetchRefusedError, logger, static_path

_UNUSED_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class StaticOnlyFetcher(weasyprint.urls.URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that serves static files from disk and refuses the rest."""

    def __init__(self) -> None:
        # Never used (nothing is fetched from the network), but without it urllib builds a
        # default context and loads the system's certificates for every render (~50 ms).
        super().__init__(
            allowed_protocols=("https",), fail_on_errors=False, ssl_context=_UNUSED_TLS
        )

    def fetch(self, url: str, headers: object = None) -> weasyprint.urls.URLFetcherResponse:
        try:
            path = static_path(url)
        except FetchRefusedError as error:
            logger.error("PDF renderer: %s", error)
            raise
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})
