"""Creates the suite's users with known credentials: alice, bob and carol, each with a DRF
token (`Token <key>`) and a personal API key (`Bearer <key>`); carol has no email. Bob's
project holds a dashboard alice made that only its collaborators may edit."""
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from tracker.models import Dashboard, PersonalAPIKey, Project

USERS = [
    ("alice", "alice@example.com", "token-alice-0001", "phx_alice_personal_key"),
    ("bob", "bob@example.com", "token-bob-0002", "phx_bob_personal_key"),
    ("carol", "", "token-carol-0003", "phx_carol_personal_key"),
]


class Command(BaseCommand):
    help = "Creates the real-server suite's users and their credentials."

    def handle(self, *args, **options):
        users = {}
        for username, email, token, key in USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
            Token.objects.get_or_create(user=user, defaults={"key": token})
            PersonalAPIKey.objects.get_or_create(user=user, value=key)
            users[username] = user
        if not Project.objects.filter(name="Shared").exists():
            shared = Project.objects.create(name="Shared", created_by=users["bob"])
            shared.members.add(users["bob"])
            Dashboard.objects.create(
                project=shared,
                name="Board",
                created_by=users["alice"],
                restriction_level=Dashboard.RestrictionLevel.ONLY_COLLABORATORS_CAN_EDIT,
            )
