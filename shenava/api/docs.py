"""The API's interactive docs (/docs) from local files: Swagger UI 5 (it reads OpenAPI 3.1, which
FastAPI writes) is vendored in the web app's static files (``shenava/web/static/vendor/swagger-ui``,
npm's swagger-ui-dist 5.35.0, Apache-2.0), so the page works on a machine without internet and sends
no request to a CDN (FastAPI's default page loads Swagger UI from jsDelivr and its favicon from
fastapi.tiangolo.com). ReDoc has no local copy and is off."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

#: where the web app serves the vendored files (``shenava.web.app`` mounts /static)
ASSETS = "/static/vendor/swagger-ui"
#: the page's own inline start-up script and Swagger UI's inline styles; everything else from here only
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def mount_docs(app: FastAPI) -> None:
    """Serve /docs with the vendored Swagger UI; ``app`` must be made with ``docs_url=None``."""

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
            # Swagger UI would otherwise ask validator.swagger.io about a spec served from another host
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page
