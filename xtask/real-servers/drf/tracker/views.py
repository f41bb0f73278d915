"""The API: model viewsets nested under a project, as PostHog's are."""
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, pagination, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Dashboard, Insight, Project
from .serializers import (
    DashboardSerializer,
    InsightSerializer,
    ProjectSerializer,
    UserSerializer,
)


class ProjectPagination(pagination.PageNumberPagination):
    page_size = 2
    page_size_query_param = "page_size"


class InsightPagination(pagination.PageNumberPagination):
    """Pages of a bare list: the page number is the only way through, and the page after the
    last is DRF's `404 Invalid page.`"""

    page_size = 2
    page_size_query_param = "page_size"

    def get_paginated_response(self, data):
        return Response(data)

    def get_paginated_response_schema(self, schema):
        return schema


class UserViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = UserSerializer
    lookup_field = "uuid"

    def get_object(self):
        if self.kwargs["uuid"] != "@me":
            raise exceptions.NotFound()
        return self.request.user


class ProjectViewSet(viewsets.ModelViewSet):
    serializer_class = ProjectSerializer
    pagination_class = ProjectPagination

    def get_queryset(self):
        return (
            Project.objects.filter(members=self.request.user)
            .annotate(dashboard_count=Count("dashboards", filter=Q(dashboards__deleted=False)))
            .order_by("id")
        )

    def perform_create(self, serializer):
        project = serializer.save(created_by=self.request.user)
        project.members.add(self.request.user)


class ProjectScoped:
    """A viewset under `/api/projects/{project_id}/`: only the caller's projects."""

    def project(self):
        return get_object_or_404(
            Project.objects.filter(members=self.request.user), id=self.kwargs["project_id"]
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "project_id": self.kwargs.get("project_id")}


class DashboardViewSet(ProjectScoped, viewsets.ModelViewSet):
    serializer_class = DashboardSerializer

    def get_queryset(self):
        return Dashboard.objects.filter(project=self.project(), deleted=False).order_by("id")

    def perform_create(self, serializer):
        serializer.save(project=self.project(), created_by=self.request.user)

    def perform_update(self, serializer):
        dashboard = serializer.instance
        if (
            dashboard.restriction_level == Dashboard.RestrictionLevel.ONLY_COLLABORATORS_CAN_EDIT
            and dashboard.created_by_id != self.request.user.id
        ):
            raise exceptions.PermissionDenied("You don't have edit permissions for this dashboard.")
        serializer.save()

    def perform_destroy(self, instance):
        instance.deleted = True
        instance.save()

    @extend_schema(request=None, responses=DashboardSerializer)
    @action(detail=True, methods=["post"])
    def duplicate(self, request, *args, **kwargs):
        original = self.get_object()
        copy = Dashboard.objects.create(
            project=original.project,
            name=f"{original.name} (copy)",
            description=original.description,
            tags=original.tags,
            created_by=request.user,
        )
        return Response(self.get_serializer(copy).data, status=201)


@extend_schema_view(list=extend_schema(description="Insights, a page at a time."))
class InsightViewSet(ProjectScoped, viewsets.ModelViewSet):
    serializer_class = InsightSerializer
    pagination_class = InsightPagination

    def get_queryset(self):
        return Insight.objects.filter(project=self.project()).order_by("id")

    def perform_create(self, serializer):
        serializer.save(project=self.project(), created_by=self.request.user)
