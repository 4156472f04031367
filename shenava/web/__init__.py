"""The web app (support inbox; later the analysts' workspace), served with the API by ``shenava serve``.

Kept import-free: ``config.settings`` imports ``shenava.web.settings`` without loading the pages.
"""
