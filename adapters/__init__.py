"""Platform adapters: each translates platform input to core commands and renders core replies."""
