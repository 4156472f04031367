"""The service: what ``shenava run`` wires together, one module per idea.

- ``sources``: which listeners run, built from the settings (``listeners.registry`` lists them);
- ``scheduler``: APScheduler runs every listener job, detection, the outbox and the digest;
- ``listener_job``: one listener's checkpoint lifecycle, load → fetch → process → record;
- ``pipeline``: the per-batch stages, analyse → store → urgent check;
- ``health``: the one read model of listener health (``status``, ``sources``, the API).
"""
