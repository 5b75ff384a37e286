"""Quarterly random revisits by phone (Qingdao art. 17)."""
