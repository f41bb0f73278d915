"""The tracker's data: projects owned by users, dashboards and insights in a project, and the
personal API keys users authenticate with."""
import secrets

from django.conf import settings
from django.db import models


def new_token() -> str:
    return "phc_" + secrets.token_hex(16)


def new_short_id() -> str:
    return secrets.token_urlsafe(6)


class PersonalAPIKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    value = models.CharField(max_length=64, unique=True)


class Project(models.Model):
    class Timezone(models.TextChoices):
        UTC = "UTC"
        EUROPE_LONDON = "Europe/London"
        AMERICA_NEW_YORK = "America/New_York"

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="projects")
    api_token = models.CharField(max_length=64, default=new_token)
    timezone = models.CharField(max_length=64, choices=Timezone.choices, default=Timezone.UTC)

    class Meta:
        ordering = ["id"]


class Dashboard(models.Model):
    class RestrictionLevel(models.IntegerChoices):
        EVERYONE_IN_PROJECT_CAN_EDIT = 21
        ONLY_COLLABORATORS_CAN_EDIT = 37

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dashboards")
    name = models.CharField(max_length=400)
    description = models.TextField(blank=True)
    pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_accessed_at = models.DateTimeField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    restriction_level = models.PositiveSmallIntegerField(
        choices=RestrictionLevel.choices, default=RestrictionLevel.EVERYONE_IN_PROJECT_CAN_EDIT
    )
    deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Insight(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="insights")
    dashboard = models.ForeignKey(
        Dashboard, null=True, blank=True, on_delete=models.SET_NULL, related_name="insights"
    )
    name = models.CharField(max_length=400, null=True, blank=True)
    short_id = models.CharField(max_length=12, default=new_short_id)
    description = models.TextField(blank=True)
    query = models.JSONField(null=True, blank=True)
    favorited = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_refresh = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
