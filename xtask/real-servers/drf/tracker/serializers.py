"""Serializers, written as a Django REST framework application usually is: nested read-only
objects, method fields, nullable relations, validation in the serializer."""
import hashlib

from django.contrib.auth.models import User
from rest_framework import serializers

from .models import Dashboard, Insight, Project


class UserBasicSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "avatar_url"]
        read_only_fields = fields

    def get_avatar_url(self, user) -> str:
        # Users without an email have no avatar: null, although the hint says `str`.
        if not user.email:
            return None
        digest = hashlib.md5(user.email.lower().encode()).hexdigest()
        return f"https://www.gravatar.com/avatar/{digest}"


class UserSerializer(UserBasicSerializer):
    project_count = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "date_joined",
                  "avatar_url", "project_count"]
        read_only_fields = ["id", "username", "date_joined", "avatar_url", "project_count"]

    def get_project_count(self, user) -> int:
        return user.projects.count()


class ProjectSerializer(serializers.ModelSerializer):
    created_by = UserBasicSerializer(read_only=True)
    dashboard_count = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "created_at", "created_by", "api_token", "timezone", "dashboard_count"]
        read_only_fields = ["id", "created_at", "created_by", "api_token", "dashboard_count"]

    def get_dashboard_count(self, project) -> int:
        # Annotated by the list and detail querysets; a project just created has no annotation.
        return getattr(project, "dashboard_count", None)

    def validate_name(self, name):
        if name.strip() != name or not name:
            raise serializers.ValidationError("Project names cannot start or end with spaces.")
        return name


class InsightBasicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Insight
        fields = ["id", "short_id", "name"]
        read_only_fields = fields


class DashboardSerializer(serializers.ModelSerializer):
    created_by = UserBasicSerializer(read_only=True)
    insights = InsightBasicSerializer(many=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    effective_privilege_level = serializers.SerializerMethodField()

    class Meta:
        model = Dashboard
        fields = ["id", "name", "description", "pinned", "created_at", "created_by",
                  "last_accessed_at", "tags", "restriction_level", "effective_privilege_level",
                  "insights"]
        read_only_fields = ["id", "created_at", "created_by", "last_accessed_at",
                            "effective_privilege_level", "insights"]

    def get_effective_privilege_level(self, dashboard) -> int:
        request = self.context.get("request")
        if request is None:
            return None
        if dashboard.restriction_level == Dashboard.RestrictionLevel.ONLY_COLLABORATORS_CAN_EDIT \
                and dashboard.created_by_id != request.user.id:
            return Dashboard.RestrictionLevel.EVERYONE_IN_PROJECT_CAN_EDIT
        return Dashboard.RestrictionLevel.ONLY_COLLABORATORS_CAN_EDIT

    def validate_name(self, name):
        project_id = self.context["project_id"]
        taken = Dashboard.objects.filter(project_id=project_id, name=name, deleted=False)
        if self.instance is not None:
            taken = taken.exclude(id=self.instance.id)
        if taken.exists():
            raise serializers.ValidationError("A dashboard with this name already exists.")
        return name


class QuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["TrendsQuery", "FunnelsQuery", "HogQLQuery"])
    series = serializers.ListField(child=serializers.DictField(), required=False)


class InsightSerializer(serializers.ModelSerializer):
    created_by = UserBasicSerializer(read_only=True)
    dashboard = serializers.PrimaryKeyRelatedField(
        queryset=Dashboard.objects.all(), allow_null=True, required=False
    )
    derived_name = serializers.SerializerMethodField()

    class Meta:
        model = Insight
        fields = ["id", "short_id", "name", "derived_name", "description", "dashboard", "query",
                  "favorited", "created_at", "created_by", "last_refresh"]
        read_only_fields = ["id", "short_id", "derived_name", "created_at", "created_by",
                            "last_refresh"]

    def get_derived_name(self, insight) -> str:
        # A name made from the query, only for insights without one of their own.
        if insight.name:
            return None
        kind = (insight.query or {}).get("kind", "Insight")
        return f"{kind} #{insight.id}"

    def validate_query(self, query):
        if query is None:
            return query
        checked = QuerySerializer(data=query)
        checked.is_valid(raise_exception=True)
        return query
