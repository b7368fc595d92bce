"""The whole-site stamp: what makes the next build run in full rather than repeat its report."""

from __future__ import annotations

import datetime
import os

from leaflets.publish import site_stamp
from leaflets.settings import BuildSettings


def test_the_stamp_is_the_same_while_nothing_changes(minimal_content, tmp_path):
    settings = BuildSettings(minimal_content, tmp_path / "out")
    assert site_stamp.input_stamp(settings) == site_stamp.input_stamp(settings)


def test_a_touched_content_file_changes_the_stamp(minimal_content, tmp_path):
    settings = BuildSettings(minimal_content, tmp_path / "out")
    before = site_stamp.input_stamp(settings)
    source = next(minimal_content.glob("leaflets/*/leaflet.yaml"))
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert site_stamp.input_stamp(settings) != before


def test_another_day_or_other_options_change_the_stamp(minimal_content, tmp_path, monkeypatch):
    settings = BuildSettings(minimal_content, tmp_path / "out")
    before = site_stamp.input_stamp(settings)
    assert site_stamp.input_stamp(BuildSettings(minimal_content, tmp_path / "out", strict=True)) != before
    assert site_stamp.input_stamp(BuildSettings(minimal_content, tmp_path / "out", paper="a5")) != before

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls):
            return datetime.date.fromordinal(datetime.date.today().toordinal() + 1)

    monkeypatch.setattr(site_stamp, "date", Tomorrow)  # a review date may have passed overnight
    assert site_stamp.input_stamp(settings) != before


def test_no_stamp_or_a_broken_manifest_means_a_full_build(tmp_path, minimal_content):
    output = tmp_path / "out"
    settings = BuildSettings(minimal_content, output)
    assert site_stamp.unchanged_site(settings) is None
    (output / site_stamp.MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert site_stamp.unchanged_site(settings) is None
