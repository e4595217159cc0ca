from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "trygg.promises"
    label = "promises"
    verbose_name = "Medborgarlöften"
