"""Alerts: spike incidents, urgent mentions, notifiers with an outbox, and the daily digest.

One mention's path: storage commits it → ``AlertEngine.on_stored`` (``alerts.engine``) applies
the urgent-alert rules (``alerts.urgent``) to what NLP decided (urgency score, crisis terms) →
``AlertEngine.detect(watermark)`` runs one locked detection pass (``alerts.spike_pass``): it counts
negative mentions per brand and (brand, touchpoint) in closed buckets (``alerts.series``), steps
each series' ``SpikeDetector`` (``alerts.series_detectors``, ``alerts.detection``) and turns the
verdicts into one incident per brand (``alerts.incidents``: typed state, state machine, urgent
alerts folded into it), explained by ``alerts.explain`` → every event (``alerts.events``, severity
in ``alerts.severity``) is routed (``alerts.routing``: rules, quiet hours) into the outbox
(``alerts.outbox``) in the same transaction → ``AlertEngine.dispatch`` sends due rows through
``alerts.notifiers`` (console, file, Telegram, Slack-compatible, e-mail, signed webhook),
rendered per channel by ``alerts.render``. Support staff then acknowledge, assign and resolve
through ``alerts.workflow`` (CLI: ``shenava incidents`` / ``shenava urgent``).
"""
