"""The single list of domain routers."""

from fastapi import APIRouter

from autolease.audit.router import router as audit_router
from autolease.auth.router import router as auth_router
from autolease.dealer.router import router as dealer_router
from autolease.origination.router import router as origination_router

ROUTERS: tuple[APIRouter, ...] = (auth_router, dealer_router, origination_router, audit_router)
