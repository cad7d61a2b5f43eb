"""What a session adds up to: snapshot, tally, summary and the export formats. Pure functions."""
