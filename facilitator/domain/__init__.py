"""The rules of a workshop session, as plain code: phases, settings, levels, visibility, text,
templates. Nothing here touches a database or a platform."""
