"""helpline: routing software for a free 24/7 phone line for informal caregivers."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported on first use so that the domain and the CLI's router start without Flask.
    if name == "create_app":
        from helpline.web.app import create_app

        return create_app
    raise AttributeError(name)
