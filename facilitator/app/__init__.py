"""Use cases: what each command does, over a unit of work, behind one dispatch table."""
