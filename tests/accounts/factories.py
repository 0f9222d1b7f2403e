import factory
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from cre_portal.accounts.models import Agency, Team, User

TEST_PASSWORD = "correct horse battery staple"

_fake = Faker("en_GB")


def plain_name(kind: str = "name") -> factory.LazyFunction:
    """A Faker name without apostrophes: tests look for names in HTML, which escapes them."""
    return factory.LazyFunction(lambda: getattr(_fake, kind)().replace("'", ""))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Exploitation team {n}")
    agency = Agency.CHILDRENS_SOCIAL_CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@council.example")
    full_name = plain_name()
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=role))


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True
