"""Quick replies: Persian reply templates per brand × touchpoint × situation, ranked for a mention
and filled with its variables (the customer's handle, an order number found in the text, the agent).

Sending (X API v2, Instagram Graph API, through the outbox) comes next; today the inbox offers the
filled text to edit and copy, with the link to the mention at its source.
"""
