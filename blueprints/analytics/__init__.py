"""Analytics: reports and dashboards over whatever modules are enabled."""
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class AnalyticsConfig(BaseModel):
    retention_days: int = Field(400, ge=30, le=3650, title="Keep raw events for (days)")
    count_bots: bool = Field(False, title="Count visits from known bots")


MODULE = ModuleDefinition(
    code="analytics",
    name="Analytics",
    description="Reports and dashboards over whatever is enabled.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=110,
    permissions=(
        Permission("analytics.view", "View reports"),
        Permission("analytics.export", "Export reports"),
    ),
    config_schema=AnalyticsConfig,
)
