"""Wax's glue between the `bytewax` API and the Java engine. Not public."""
