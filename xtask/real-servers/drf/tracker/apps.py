from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"

    def ready(self):
        from . import auth  # noqa: F401  (registers the bearer scheme with drf-spectacular)
