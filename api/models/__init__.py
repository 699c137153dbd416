"""ORM models only; importing this package registers every table for Alembic."""

from api.models.activity import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
)
from api.models.auth import ApiClient, LoginFailure, Role, User
from api.models.base import Base, Entity, utcnow
from api.models.location import CapacityChange, Location, LocationKind
from api.models.participant import (
    DutchLevel,
    EmploymentStatus,
    EndReason,
    Group,
    Participant,
    ParticipantProgress,
    Placement,
    ProgressField,
)
from api.models.partner import Partner, PartnerKind
from api.models.signal import (
    Severity,
    Signal,
    SignalAction,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from api.models.system import AuditEvent, IdempotencyKey

__all__ = [
    "Activity",
    "ActivityKind",
    "ApiClient",
    "Attendance",
    "AttendanceStatus",
    "AuditEvent",
    "Base",
    "CapacityChange",
    "DutchLevel",
    "EmploymentStatus",
    "EndReason",
    "Enrollment",
    "EnrollmentStatus",
    "Entity",
    "Group",
    "IdempotencyKey",
    "Location",
    "LocationKind",
    "LoginFailure",
    "Participant",
    "ParticipantProgress",
    "Partner",
    "PartnerKind",
    "Placement",
    "ProgressField",
    "Role",
    "Severity",
    "Signal",
    "SignalAction",
    "SignalCategory",
    "SignalSource",
    "SignalStatus",
    "User",
    "utcnow",
]
