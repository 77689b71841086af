"""Demo people and the Acme Robotics company: its members, teams, an invitation and a token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from PIL import Image, ImageDraw

from upward.accounts import services
from upward.accounts.models import Membership, Organization, Role, User

DEMO_PASSWORD = "upward-demo"  # noqa: S105 (printed for the local demo on purpose)
DEMO_ORG_SLUG = "acme"

# (email, name, role in the demo company)
PEOPLE = [
    ("alice@example.com", "Alice Moreau", Role.MEMBER),
    ("bob@example.com", "Bob Okafor", Role.MANAGER),
    ("maya@example.com", "Maya Lindqvist", Role.MENTOR),
    ("ada@example.com", "Ada Nakamura", Role.ADMIN),
    ("sam@example.com", "Sam Ortiz", Role.MEMBER),
]
EMAILS = [email for email, _name, _role in PEOPLE]
# Extra Acme peers whose anonymous answers pass the anonymity threshold (5).
PEERS = [
    ("priya@example.com", "Priya Raman"),
    ("tomas@example.com", "Tomás Herrera"),
    ("lena@example.com", "Lena Fischer"),
    ("kwame@example.com", "Kwame Mensah"),
    ("yuki@example.com", "Yuki Tanaka"),
    ("omar@example.com", "Omar Haddad"),
]

# (time zone, languages) of each demo person, so profiles and dates read as they would.
PROFILES = {
    "alice@example.com": ("Europe/Paris", ["fr", "en"]),
    "bob@example.com": ("Africa/Lagos", ["en", "ig"]),
    "maya@example.com": ("Europe/Stockholm", ["sv", "en", "de"]),
    "ada@example.com": ("Asia/Tokyo", ["ja", "en"]),
    "sam@example.com": ("America/Mexico_City", ["es", "en"]),
    "priya@example.com": ("Asia/Kolkata", ["hi", "en"]),
    "tomas@example.com": ("Europe/Madrid", ["es", "ca", "en"]),
    "lena@example.com": ("Europe/Berlin", ["de", "en"]),
    "kwame@example.com": ("Africa/Accra", ["en"]),
    "yuki@example.com": ("Asia/Tokyo", ["ja", "en"]),
    "omar@example.com": ("Africa/Cairo", ["ar", "en", "fr"]),
}


@dataclass(frozen=True)
class DemoCompany:
    """What the other apps' demo data is built on."""

    organization: Organization
    people: dict[str, User]  # by first name in lower case: "alice", "bob", ...
    peers: list[User]  # in the order of PEERS


def person(email: str, name: str, password_hash: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        zone, languages = PROFILES.get(email, ("", []))
        user = User.objects.create_user(
            email=email, password=None, name=name, time_zone=zone, languages=languages
        )
        user.password = password_hash
        user.save(update_fields=["password"])
        services.create_personal_organization(user=user)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def load(progress: Callable[[str], None] = lambda _msg: None) -> DemoCompany | None:
    """Create the demo people and the Acme Robotics company; None if it is already there."""
    if Organization.objects.filter(slug=DEMO_ORG_SLUG).exists():
        return None
    progress("creating the demo people ...")
    # Argon2 is slow on purpose; everyone shares the printed password, so hash it once.
    password_hash = make_password(DEMO_PASSWORD)
    people = {
        email.split("@")[0]: person(email, name, password_hash) for email, name, _role in PEOPLE
    }
    ada = people["ada"]
    progress("creating the Acme Robotics organization ...")
    org = services.create_organization(name="Acme Robotics", slug=DEMO_ORG_SLUG, by=ada)
    for email, _name, role in PEOPLE:
        if email != ada.email:
            Membership.objects.create(organization=org, user=people[email.split("@")[0]], role=role)
    platform = services.create_team(
        organization=org, name="Platform", manager=people["bob"], by=ada
    )
    services.add_team_member(team=platform, user=people["alice"], by=ada)
    services.add_team_member(team=platform, user=people["sam"], by=ada)
    services.create_team(organization=org, name="Growth", manager=None, by=ada)
    services.invite_member(organization=org, email="newhire@example.com", role=Role.MEMBER, by=ada)
    services.create_api_token(user=people["alice"], name="Demo script", scope="read", days=30)
    # Everyone else keeps their initials, so both kinds of avatar show.
    services.set_photo(user=people["maya"], data=geometric_picture())
    return DemoCompany(organization=org, people=people, peers=_peers(org, password_hash))


def _peers(org: Organization, password_hash: str) -> list[User]:
    peers = [person(email, name, password_hash) for email, name in PEERS]
    for peer in peers:
        Membership.objects.create(organization=org, user=peer, role=Role.MEMBER)
    return peers


def geometric_picture(size: int = 320) -> bytes:
    """A PNG of overlapping discs on a teal field: a stand-in portrait for the demo."""
    image = Image.new("RGB", (size, size), (12, 79, 66))
    draw = ImageDraw.Draw(image)
    discs = [
        (0.50, 0.40, 0.22, (244, 211, 94)),  # a head
        (0.50, 1.02, 0.42, (238, 150, 75)),  # shoulders
        (0.18, 0.15, 0.10, (121, 214, 187)),
        (0.86, 0.22, 0.07, (225, 241, 236)),
    ]
    for x, y, r, colour in discs:
        box = [(x - r) * size, (y - r) * size, (x + r) * size, (y + r) * size]
        draw.ellipse(box, fill=colour)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
