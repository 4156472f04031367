"""Alert rules people write themselves: saved searches that alert (issue 13 item 4).

``saved_search.on_stored`` judges the rules of every saved search with its rule on against newly
stored mentions; ``event`` is the event it emits and the lines an alert message says about it.
"""
