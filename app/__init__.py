"""A dashboard of sourced estimates about foreign nationals recruited into Russia's army."""
