from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.core.signals import request_started
        from django.tasks.signals import task_started
        from django.test.signals import setting_changed

        from .branding import forget_brand

        # The brand is read once per request or task (see branding.brand); each starts afresh.
        request_started.connect(forget_brand, dispatch_uid="forget_brand_per_request")
        task_started.connect(forget_brand, dispatch_uid="forget_brand_per_task")
        # Tests change CONSULTANCY_NAME, the name shown while no profile is set.
        setting_changed.connect(forget_brand, dispatch_uid="forget_brand_on_setting")
