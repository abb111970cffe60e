"""Data operations: importing figures and rates, seeding the demo data, backups, synthetic data."""
