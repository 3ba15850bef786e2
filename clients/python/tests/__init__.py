"""End-to-end tests of the Python SDK against a running node (see tests/support.py for what they need)."""
