"""The cohort picture: a heatmap of shared scores with its data table, averages with their
uncertainty, and the readiness levels."""

import re

import pytest
from django.urls import reverse

from ctoready.orgs.heatmap import colour
from ctoready.orgs.picture import cohort_picture

pytestmark = pytest.mark.django_db


def picture_url(world, view="picture"):
    return reverse(
        f"orgs:{view}",
        kwargs={"org_id": world.acme.public_id, "cohort_id": world.cohort.public_id},
    )


def test_the_heatmap_has_one_row_per_sharing_member_and_a_table_of_the_same_numbers(world):
    for name in ("mia", "max", "mo"):
        world.share(name)
    page = world.client("colin").get(picture_url(world)).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert svg.count('class="heatmap-row"') == 3
    numbers = re.findall(r'\s(?:x|y|width|height)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers)
    p = cohort_picture(world.cohort)
    for member in p.members:
        for score in member.scores:
            if score is not None:
                assert f"{score.score} ({score.low}–{score.high})" in page


def test_averages_and_levels_rest_on_sharing_members_only(world):
    world.share("mia")
    world.share("max")
    p = cohort_picture(world.cohort)
    assert p.n == 2 and not p.show_rows and p.members == ()
    strategy = next(a for a in p.averages if a.id == "strategy")
    mia, maxi = (
        next(r for r in member_rows(world, n) if r.id == "strategy") for n in ("mia", "max")
    )
    assert strategy.mean.n == 2
    assert strategy.mean.mean == pytest.approx((mia.value.score + maxi.value.score) / 2)
    assert sum(n for _label, n in p.levels) + p.unscored == 2


def member_rows(world, name):
    from ctoready.orgs.picture import member_view

    return member_view(world.consents[name]).scales


def test_heatmap_colours_keep_text_readable():
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    import colorsys

    for score in range(101):
        fill, text = colour(score)
        lightness = int(fill.split(",")[2].strip(" %)")) / 100
        r, g, b = colorsys.hls_to_rgb(210 / 360, lightness, 0.6)
        fill_hex = "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))
        a, b_ = sorted((luminance(fill_hex), luminance(text)), reverse=True)
        assert (a + 0.05) / (b_ + 0.05) >= 4.5, (score, fill, text)
