"""The web app (support inbox; later the analysts' workspace), served with the API by ``shenava serve``.

Its settings section is ``config.web.WebSettings`` (config assembles the settings and never imports
the wiring).
"""
