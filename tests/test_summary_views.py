"""summary.md (CI job summary) and index.html (people): what needs attention
comes first, every result is there, text from reports cannot break the
markup, and the HTML is one self-contained file (nothing fetched)."""

import re
import tempfile
import unittest
from html.parser import HTMLParser
from pathlib import Path

from report_fixtures import make_report, make_result, mixed_results

from conformance.views import write_derived_outputs
from conformance.views.html import html_report
from conformance.views.summary_md import markdown_summary
from conformance.model.report import check_report
from conformance.model.catalog import load_catalog


class MarkdownSummaryTest(unittest.TestCase):

    def setUp(self):
        self.reports = {"fake": make_report("fake", mixed_results()),
                        "other": make_report("other", [make_result("alpha/passes"), make_result("alpha/fails")])}
        self.text = markdown_summary(self.reports, {"ghost": "program 'ghost' is not on PATH"})

    def test_headline_counts_unexpected_results(self):
        unexpected = sum(r["summary"]["unexpected"] for r in self.reports.values())
        self.assertIn(f"**{unexpected} unexpected results**", self.text.splitlines()[2])

    def test_sections_in_order_of_attention(self):
        positions = [self.text.index(h) for h in ("| Adapter | Implementation", "### Unexpected results",
                                                  "### Expected deviations", "### Skipped")]
        self.assertEqual(positions, sorted(positions))

    def test_every_unexpected_result_listed_with_title_and_statuses(self):
        section = self.text.split("### Unexpected results")[1].split("###")[0]
        rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
        expected = [(name, case) for name, r in self.reports.items() for case in r["summary"]["unexpected_cases"]]
        self.assertEqual(len(rows), len(expected))
        for name, case in expected:
            self.assertTrue(any(f"| {name} | `{case}` |" in row for row in rows), case)
        self.assertIn("| **CRASH** | PASS |", section)
        self.assertIn("Synthetic case alpha/fails", section)

    def test_deviations_carry_their_reason_and_skips_theirs(self):
        self.assertIn("runtime returns the socket twice", self.text.split("### Expected deviations")[1])
        self.assertIn("the adapter lacks the capability ipv6", self.text.split("### Skipped")[1])

    def test_counts_table_and_not_run_adapters(self):
        self.assertIn("| **fake** | Fake 1.0 | 2 | 3 | 1 | 1 | \u00b7 | 2 | 1 | **5** | 5.0 s |", self.text)
        self.assertIn("**ghost** was not run: program 'ghost' is not on PATH", self.text)

    def test_report_text_stays_inside_table_cells(self):
        for line in self.text.splitlines():
            if line.startswith("| ") and "`alpha/fails`" in line:
                cells = re.split(r"(?<!\\)\|", line)[1:-1]
                self.assertEqual(len(cells), 6, line)
                self.assertIn("\\*markdown\\*", cells[2])

    def test_all_good(self):
        text = markdown_summary({"fine": make_report("fine", [make_result("a/one")])})
        self.assertIn("Every result as expected", text)
        self.assertNotIn("###", text)


class _Structure(HTMLParser):
    """Collects what the self-containment and structure checks need."""
    VOID = {"meta", "br", "input", "img", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.open = []
        self.problems = []
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
        else:
            self.open.pop()


class HtmlReportTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.reports = {"fake": make_report("fake", mixed_results()),
                       "other": make_report("other", [make_result("alpha/passes"), make_result("alpha/fails")])}
        cls.page = html_report(cls.reports, load_catalog(), {"ghost": "not on PATH"})
        cls.structure = _Structure()
        cls.structure.feed(cls.page)

    def test_tags_are_balanced(self):
        self.assertEqual(self.structure.problems, [])
        self.assertEqual(self.structure.open, [])

    def test_self_contained(self):
        for tag, attrs in self.structure.elements:
            self.assertNotIn(tag, ("link", "img", "iframe"), "nothing loaded from elsewhere")
            if tag == "script":
                self.assertNotIn("src", attrs)
        self.assertNotRegex(self.page, r"@import|url\(|@font-face")
        external = re.findall(r'(?:src|href)="(https?:[^"]*)"', self.page)
        self.assertEqual(set(external), {"https://example.invalid/issue/1"}, "only evidence links, which are links")

    def test_one_row_per_case_and_a_cell_per_adapter(self):
        rows = [a for t, a in self.structure.elements if t == "tr" and "case-row" in a.get("class", "")]
        self.assertEqual(len(rows), len(mixed_results()))
        pills = [a for t, a in self.structure.elements if t == "button" and "aria-controls" in a]
        self.assertEqual(len(pills), len(mixed_results()) + 2)
        details = {a["id"] for t, a in self.structure.elements if t == "tr" and a.get("class") == "detail-row"}
        self.assertEqual({p["aria-controls"] for p in pills}, details, "every cell opens its own detail")

    def test_rows_are_flagged_for_the_filters(self):
        rows = {a["data-case"]: a for t, a in self.structure.elements if t == "tr" and "case-row" in a.get("class", "")}
        self.assertEqual(rows["alpha/fails"]["data-unexpected"], "1")
        self.assertEqual(rows["beta/fails-as-expected"]["data-unexpected"], "0")
        self.assertEqual(rows["beta/fails-as-expected"]["data-failing"], "1")
        self.assertEqual(rows["gamma/skipped"]["data-failing"], "0")
        self.assertEqual(rows["beta/passes-unexpectedly"]["data-unexpected"], "1")
        modes = {a.get("data-mode") for t, a in self.structure.elements if t == "button" and "data-mode" in a}
        self.assertEqual(modes, {"all", "unexpected", "failing"})

    def test_cells_show_status_and_expectation(self):
        self.assertIn('class="pill s-FAIL unexpected"', self.page)
        self.assertRegex(self.page, r'class="pill s-FAIL"[^>]*>FAIL<span class="flag">expected</span>')

    def test_detail_shows_steps_observed_and_expected(self):
        self.assertIn("EndAccept on L with r1 \u2192 returns a socket (a1)", self.page)
        self.assertIn("InvalidOperation &quot;&lt;boom&gt; &amp; | *bold*&quot;", self.page)
        self.assertIn("3.8 ms", self.page, "step timings")  # 1.25 * 3 -> 3.75 ms, one decimal
        self.assertIn("not run", self.page, "a skipped case shows its planned steps as not run")

    def test_clause_statements_head_their_groups(self):
        blocks = next(c for c in load_catalog().clauses if c["id"] == "EA-BLOCKS")
        self.assertIn(blocks["statement"].replace("'", "&#x27;"), self.page)

    def test_report_text_is_escaped(self):
        self.assertNotIn("<chars>", self.page)
        self.assertIn("&lt;chars&gt;", self.page)

    def test_no_adapter(self):
        page = html_report({}, load_catalog(), {"ghost": "not on PATH"})
        self.assertIn("No adapter ran", page)


class DerivedOutputsTest(unittest.TestCase):

    def test_writes_every_view_and_leaves_reports_valid(self):
        reports = {"fake": make_report("fake", mixed_results())}
        with tempfile.TemporaryDirectory() as scratch:
            written = write_derived_outputs(reports, Path(scratch), {"ghost": "not on PATH"})
            self.assertEqual(sorted(p.name for p in written), ["fake.junit.xml", "index.html", "summary.md"])
            for path in written:
                self.assertGreater(path.stat().st_size, 100)
                self.assertTrue(path.stat().st_mode & 0o044, "readable by others, like any report")
        check_report(reports["fake"], "fake")  # the views never change the report


if __name__ == "__main__":
    unittest.main()
