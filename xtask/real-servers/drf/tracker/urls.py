from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter, SimpleRouter

from . import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="users")
router.register("projects", views.ProjectViewSet, basename="projects")
nested = SimpleRouter()
nested.register("dashboards", views.DashboardViewSet, basename="dashboards")
nested.register("insights", views.InsightViewSet, basename="insights")

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/projects/<int:project_id>/", include(nested.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
]
