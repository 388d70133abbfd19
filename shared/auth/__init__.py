"""Passwords, signed tokens and the authenticated viewer."""
