"""The single list of domain routers."""

from fastapi import APIRouter

from autolease.audit.router import router as audit_router
from autolease.auth.router import router as auth_router
from autolease.channel.router import router as channel_router
from autolease.channel.router_grades import router as grades_router
from autolease.channel.router_partners import router as partners_router
from autolease.console.router import SURFACE as CONSOLE
from autolease.contract.router import router as contract_router
from autolease.dealer.router import router as dealer_router
from autolease.decision.router import router as decision_router
from autolease.documents.router import router as documents_router
from autolease.fraud.router import router as fraud_router
from autolease.h5.router import SURFACE as H5
from autolease.h5.router_links import router as links_router
from autolease.identity.biometrics.router import router as biometrics_router
from autolease.origination.router import router as origination_router
from autolease.portfolio.router import router as portfolio_router
from autolease.product.router import router as product_router
from autolease.reasons.router import router as reasons_router
from autolease.review.pages.router import SURFACE as REVIEW_PAGES
from autolease.review.router import router as review_router
from autolease.vehicle.router import router as vehicle_router
from autolease.web.surface import Surface
from autolease.webhooks.router import router as webhooks_router

ROUTERS: tuple[APIRouter, ...] = (
    auth_router,
    dealer_router,
    channel_router,
    grades_router,
    partners_router,
    origination_router,
    documents_router,
    contract_router,
    portfolio_router,
    decision_router,
    review_router,
    fraud_router,
    product_router,
    vehicle_router,
    biometrics_router,
    reasons_router,
    links_router,
    audit_router,
    webhooks_router,
)


H5_SUBMIT = "/h5/api/applications"
"""The H5 page's submission carries the samples too."""
H5_ANSWER = "/h5/applications/{application_id}/information"
"""The H5 page's answer to a request for information carries document uploads."""

SURFACES: tuple[Surface, ...] = (REVIEW_PAGES, CONSOLE, H5)
"""The server-rendered surfaces (`autolease.web.surface.Surface`): each brings its router,
templates and roles; `web.setup.install` adds them to the app, outside the OpenAPI document.
The review workbench (`/console/review`) comes before the console (`/console`): the first
surface whose prefix owns a path is that path's surface."""


def carries_samples(method: str, path: str) -> bool:
    """Whether biometric samples travel in this route's body (it gets the larger limit)."""
    return path.startswith(biometrics_router.prefix + "/") or (method, path) in {
        ("POST", origination_router.prefix),
        ("POST", H5_SUBMIT),
    }


def carries_documents(method: str, path: str) -> bool:
    """Whether a document upload travels in this route's body (`documents.max_body_bytes`)."""
    return (method, path) in {("POST", documents_router.prefix), ("POST", H5_ANSWER)}
