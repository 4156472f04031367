"""Alerts: spike incidents, urgent mentions, notifiers with an outbox, and the daily digest.

One mention's path: storage commits it → ``AlertEngine.on_stored`` checks it for an urgent
single alert (``alerts.urgent``) → ``AlertEngine.detect(watermark)`` counts negative mentions per
brand and (brand, touchpoint) in closed buckets and runs ``alerts.detection.SpikeDetector`` per
series; verdicts become one incident per brand (``alerts.engine``), explained by
``alerts.explain`` → every event (``alerts.events``) is routed (``alerts.routing``: rules, quiet
hours) into the outbox (``alerts.outbox``) in the same transaction → ``AlertEngine.dispatch``
sends due rows through ``alerts.notifiers`` (console, file, Telegram, Slack-compatible, e-mail,
signed webhook), rendered per channel by ``alerts.render``. Support staff then acknowledge,
assign and resolve through ``alerts.workflow`` (CLI: ``shenava incidents`` / ``shenava urgent``).
"""
