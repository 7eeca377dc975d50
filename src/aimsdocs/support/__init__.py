"""Shared by every stage: safe reading of user files, the one place that writes, small helpers.

Nothing here knows about standards, profiles or plans, so every stage may import it.
"""
