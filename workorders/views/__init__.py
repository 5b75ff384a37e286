"""Pages of the bad-review work orders: the inbox, the detail with its actions, the managers' board."""
