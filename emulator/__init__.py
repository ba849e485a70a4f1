"""Embedded AWS emulators for offline plans and applies: a moto server launcher and the provider override."""
