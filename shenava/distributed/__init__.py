"""Scale-out on Celery: the pipeline's stages as tasks on RabbitMQ (or Redis) over PostgreSQL.

``tasks`` lists every task and its queue; ``app`` builds the Celery app from the settings;
``runtime`` holds what one worker process loads once (store, model, alert engine, listeners);
``beat`` is the cluster's one scheduler (``leader``: the database lock that keeps it one);
``monitor`` reads queue depths and worker pings for ``shenava status`` and the metrics.
The embedded default (``shenava run``) uses none of this.
"""
