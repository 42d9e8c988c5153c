"""Compatibility import: the engine is now :mod:`serge_tei.validation.relaxng` (for one release)."""

from __future__ import annotations

from .validation.relaxng import ENGINE_VERSION, Schema, UnsupportedSchema, load

__all__ = ["ENGINE_VERSION", "Schema", "UnsupportedSchema", "load"]
