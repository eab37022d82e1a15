"""The clinic website's build logic, checks and staff commands (see README: Where things are)."""
