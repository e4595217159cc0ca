from django.apps import AppConfig


class PurpleFlagConfig(AppConfig):
    name = "trygg.purpleflag"
    label = "purpleflag"
    verbose_name = "Purple Flag"
