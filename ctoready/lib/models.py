from django.db import models


class RateCounter(models.Model):
    """Failures counted per client and window, shared by every app server.

    Rate limits live in the database (an atomic ``count = count + 1``) because the
    cache backends that need no extra service cannot increment atomically across
    processes.
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="one_counter")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"
