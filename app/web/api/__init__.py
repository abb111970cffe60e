"""The JSON API: routes, output schemas, docs and conditional answers."""
