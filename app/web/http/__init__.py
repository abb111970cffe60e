"""HTTP plumbing shared by every route: security headers, sessions, forms and CSRF, conditional requests."""
