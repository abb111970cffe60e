"""The downloads: routes, files kept per dataset version, building them ahead."""
