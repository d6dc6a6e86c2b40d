"""SQLAlchemy models and the domain operations that change them (one transaction each).

Importing this package registers every table on `Base.metadata` (Alembic reads it from here).
"""

from models.alerts import Alert, AlertKind
from models.audit import AuditEntry
from models.base import (
    Base,
    Channel,
    DeliveryOutcome,
    OrderStatus,
    OutboxStatus,
    PersonStatus,
    Role,
    VisitStatus,
)
from models.catalogue import Item
from models.conversation import ConversationState
from models.daily_totals import (
    DailyItemTotal,
    DailyOrderTotal,
    DailyVolunteerStops,
    SettledThrough,
    TenantMonth,
)
from models.heartbeat import Heartbeat
from models.jobs import JobRun
from models.leases import ProcessLease
from models.messages import InboundMessage, OutboxMessage
from models.month_totals import MonthItemTotal, MonthTotal, MonthVolunteerStops, TenantYear
from models.orders import Order, OrderLine, Pause, StandingOrder
from models.people import LinkCode, Person, TenantProfile, VolunteerAbsence, VolunteerProfile
from models.rounds import Round, Stop
from models.site import Closure, Site
from models.tenant_sets import DailyTenantSet, MonthTenantSet
from models.visits import Visit

__all__ = [
    "Alert",
    "AlertKind",
    "AuditEntry",
    "Base",
    "Channel",
    "Closure",
    "ConversationState",
    "DailyItemTotal",
    "DailyOrderTotal",
    "DailyTenantSet",
    "DailyVolunteerStops",
    "DeliveryOutcome",
    "Heartbeat",
    "InboundMessage",
    "Item",
    "JobRun",
    "LinkCode",
    "MonthItemTotal",
    "MonthTenantSet",
    "MonthTotal",
    "MonthVolunteerStops",
    "Order",
    "OrderLine",
    "OrderStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Pause",
    "Person",
    "PersonStatus",
    "ProcessLease",
    "Role",
    "Round",
    "SettledThrough",
    "Site",
    "StandingOrder",
    "Stop",
    "TenantMonth",
    "TenantProfile",
    "TenantYear",
    "Visit",
    "VisitStatus",
    "VolunteerAbsence",
    "VolunteerProfile",
]
