"""Messaging: store-customer conversations, notifications and e-mail templates."""
from pydantic import BaseModel, EmailStr, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class MessagingConfig(BaseModel):
    sender_name: str = Field("Buttek", min_length=1, max_length=80, title="Sender name of e-mails")
    reply_to: EmailStr | None = Field(None, title="Reply-to address")
    notify_staff_on_message: bool = Field(True, title="E-mail staff about new customer messages")


MODULE = ModuleDefinition(
    code="messaging",
    name="Messaging",
    description="Store-customer messages, notifications and e-mail templates.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=120,
    permissions=(
        Permission("messaging.view", "Read conversations"),
        Permission("messaging.reply", "Reply to customers"),
        Permission("messaging.templates.edit", "Edit e-mail templates"),
    ),
    config_schema=MessagingConfig,
)
