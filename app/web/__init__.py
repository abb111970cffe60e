"""The web layer: routes, templates' helpers, charts, security headers."""
