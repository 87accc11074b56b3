"""Monitoring: health checks, background task runs, recent log lines, Flower and Grafana links."""
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier


class MonitoringConfig(BaseModel):
    task_runs_kept_days: int = Field(30, ge=1, le=365, title="Keep task runs for (days)")


MODULE = ModuleDefinition(
    code="monitoring",
    name="Monitoring",
    description="Logs, background task runs, Flower/Grafana links and health.",
    version="1.0.0",
    tier=Tier.INTERNAL,
    position=150,
    permissions=(
        Permission("monitoring.view", "View health, task runs and logs"),
        Permission("monitoring.run", "Run maintenance tasks"),
    ),
    config_schema=MonitoringConfig,
    navigation={
        Surface.PLATFORM_ADMIN: (
            NavEntry(_l("Monitoring"), "monitoring_admin.overview", icon="activity", super_admin_only=True, order=90),
        ),
    },
    blueprints=("blueprints.monitoring.routes.admin:bp",),
    health_check="blueprints.monitoring.health:task_backlog",
)
