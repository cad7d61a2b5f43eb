"""The terminal adapter: try or script a workshop with no chat account."""
