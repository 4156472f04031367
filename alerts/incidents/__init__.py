"""Spike incidents: one open incident per brand that its series' bursts join, so a burst pages once.

``state``   the incident's typed, versioned state (stored in ``Incident.details``);
``lookup``  the brand's active and latest spike incidents;
``machine`` one bucket's detector verdicts → open, join, grow, escalate, resolve, and the events;
``folding`` urgent alerts that repeat what an open incident already says stay off the pager.
"""
