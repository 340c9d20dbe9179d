"""The dashboard: server-rendered pages of the API process, for people who would rather look."""
