"""Who may call a route: one ``Annotated`` alias per set of roles the routers use.

A route names the roles it admits by its principal's type (``principal: AdminOrCoordinator``);
the name lists them, so the authorization matrix (api.md's roles table, checked by
tests/test_authz_matrix.py) can be read off the routers. Each alias is one dependency that
reads the request (``require_roles``), so the dependency tree stays flat on the hot path.
A router that needs another set adds it here rather than defining its own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.auth.deps import require_roles
from api.auth.principal import Principal
from api.models import Role

AdminOnly = Annotated[Principal, Depends(require_roles(Role.admin))]
FinanceOnly = Annotated[Principal, Depends(require_roles(Role.finance))]
PartnerOnly = Annotated[Principal, Depends(require_roles(Role.partner))]
AdminOrCoordinator = Annotated[Principal, Depends(require_roles(Role.admin, Role.coordinator))]
AdminOrFinance = Annotated[Principal, Depends(require_roles(Role.admin, Role.finance))]
AdminOrPartner = Annotated[Principal, Depends(require_roles(Role.admin, Role.partner))]
AdminCoordinatorOrPartner = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.coordinator, Role.partner))
]
AdminCoordinatorOrFinance = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.coordinator, Role.finance))
]
AdminFinanceOrViewer = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.finance, Role.viewer))
]
# Every role but one: written out, so that a role added later is admitted nowhere by default.
AnyRoleButViewer = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.coordinator, Role.finance, Role.partner))
]
AnyRoleButPartner = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.coordinator, Role.finance, Role.viewer))
]
AnyRole = Annotated[
    Principal,
    Depends(require_roles(Role.admin, Role.coordinator, Role.finance, Role.partner, Role.viewer)),
]
# Issue 18 (meetings, agreements, communications, the draagvlak view): council members
# (viewers) read them, an operator partner its own locations'; finance has no part in it.
AnyRoleButFinance = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.coordinator, Role.partner, Role.viewer))
]
AdminCoordinatorOrViewer = Annotated[
    Principal, Depends(require_roles(Role.admin, Role.coordinator, Role.viewer))
]
