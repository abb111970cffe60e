"""The public pages: routes, page builders, charts, the page cache and version reads."""
