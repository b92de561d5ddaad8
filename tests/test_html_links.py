"""index.html links and tells the truth: every case and every adapter cell
has a stable anchor, a link to a cell opens it (checked in headless
Chromium), the filter state is in the address, clause headers count passes
per adapter, and the headline keeps the CI verdict apart from conformance."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from report_fixtures import make_report, make_result

from conformance.model.catalog import load_catalog
from conformance.views.html import html_report, write_html_report

CHROMIUM = shutil.which("chromium")


def two_adapters():
    good = make_report("good", [make_result("blocks/until-connect"), make_result("blocks/already-pending")])
    known = make_report("known", [
        make_result("blocks/until-connect", "FAIL", expected="FAIL", reason="the runtime does not block"),
        make_result("blocks/already-pending")])
    return {"good": good, "known": known}


class HtmlLinksTest(unittest.TestCase):

    def setUp(self):
        self.page = html_report(two_adapters(), load_catalog())

    def test_every_case_and_every_cell_has_a_stable_anchor(self):
        self.assertIn('<tr class="case-row" id="blocks/until-connect"', self.page)
        self.assertIn('href="#blocks/until-connect"', self.page)
        for adapter in ("good", "known"):
            self.assertIn(f'id="blocks/until-connect@{adapter}"', self.page)
            self.assertIn(f'href="#blocks/until-connect@{adapter}"', self.page)
        self.assertNotRegex(self.page, r'id="d-\d+-\d+"', "no anchors that move when a case is added")

    def test_clause_headers_count_passes_per_adapter(self):
        header = re.search(r'<tr class="clause-row" id="EA-BLOCKS">.*?</tr>', self.page, re.S).group(0)
        self.assertIn("<b>good</b> 2/2", header)
        self.assertIn("<b>known</b> 1/2", header)

    def test_the_headline_separates_the_ci_verdict_from_conformance(self):
        self.assertIn("CI verdict</span>as expected", self.page)
        self.assertIn("<b>known</b> 1/2 conform", self.page)
        self.assertIn("<b>good</b> 2/2 conform", self.page)

    def test_the_filter_state_is_kept_in_the_address(self):
        self.assertIn('"mode=" + mode', self.page)
        self.assertIn('"q=" + encodeURIComponent(query)', self.page)


@unittest.skipIf(CHROMIUM is None, "chromium is not installed")
class HtmlInChromiumTest(unittest.TestCase):

    def dom(self, url):
        profile = tempfile.mkdtemp(prefix="endaccept-chromium-")
        try:
            return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                   "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", url],
                                  capture_output=True, text=True, timeout=120).stdout
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    def test_a_case_link_opens_that_cell_and_a_filter_link_filters(self):
        directory = Path(tempfile.mkdtemp(prefix="endaccept-html-"))
        page = write_html_report(two_adapters(), directory)
        opened = self.dom(page.as_uri() + "#blocks/until-connect@known")
        cell = re.search(r'<tr class="detail-row" id="blocks/until-connect@known"[^>]*>', opened).group(0)
        self.assertNotIn("hidden", cell, "the linked cell is open")
        other = re.search(r'<tr class="detail-row" id="blocks/until-connect@good"[^>]*>', opened).group(0)
        self.assertIn("hidden", other, "only the linked cell is open")
        filtered = self.dom(page.as_uri() + "#mode=failing")
        row = re.search(r'<tr class="case-row" id="blocks/already-pending"[^>]*>', filtered).group(0)
        self.assertIn("hidden", row, "#mode=failing hides a case that passes everywhere")
        self.assertRegex(filtered, r'data-mode="failing" aria-pressed="true"')


if __name__ == "__main__":
    unittest.main()
