"""Domain rules as plain functions and frozen dataclasses: no web, database or chart imports."""
