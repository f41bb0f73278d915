"""Personal API keys sent as `Authorization: Bearer <key>`, as PostHog takes them (DRF's own
`Token <key>` scheme works beside it)."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import PersonalAPIKey


class PersonalAPIKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode()
        scheme, _, key = header.partition(" ")
        if scheme != self.keyword or not key:
            return None
        found = PersonalAPIKey.objects.select_related("user").filter(value=key.strip()).first()
        if found is None:
            raise exceptions.AuthenticationFailed("Personal API key not valid.")
        return (found.user, found)

    def authenticate_header(self, request):
        return self.keyword


class PersonalAPIKeyScheme(OpenApiAuthenticationExtension):
    target_class = "tracker.auth.PersonalAPIKeyAuthentication"
    name = "PersonalAPIKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
