"""The privacy center: members see and control their own data."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
