"""ctoready apitoken — personal API tokens (a staff user's token reaches operator endpoints)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready.api.models import ApiToken
from ctoready.api.services import create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Create, list and revoke API tokens. A token is shown once, when created."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token for a user.")
        create.add_argument("--user", required=True, help="The user's e-mail (or username).")
        create.add_argument("--label", default="", help="What the token is for.")
        listing = actions.add_parser("list", help="List tokens (never the tokens themselves).")
        listing.add_argument("--user", help="Only this user's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its number.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = self._user(options["user"])
            token, raw = create_api_token(user=user, label=options["label"][:100])
            kind = "operator" if user.is_staff else "personal"
            self.stderr.write(f"Created {kind} token {token.pk} for {options['user']}. ")
            self.stderr.write("It is shown only now; store it safely:")
            self.stdout.write(raw)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("pk")
            if options["user"]:
                tokens = tokens.filter(user=self._user(options["user"]))
            for t in tokens:
                state = "revoked" if t.revoked_at else "active"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                who = t.user.email or t.user.get_username()
                self.stdout.write(f"{t.pk}\t{who}\t{state}\tlast used {used}\t{t.label}")
        else:
            if not revoke_api_token(token_id=options["id"]):
                raise CommandError(f"No token {options['id']}.")
            self.stderr.write(f"Token {options['id']} is revoked.")

    def _user(self, name: str) -> Any:
        users = get_user_model().objects
        user = users.filter(email__iexact=name).first() or users.filter(username=name).first()
        if user is None:
            raise CommandError(f"No user {name!r}.")
        return user
