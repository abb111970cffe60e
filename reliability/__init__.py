"""The reliability suite: load, crashes, a database outage and hostile input against the real server."""
