"""The README is the front door and docs/ holds the rest: the README's set-up commands name
scripts that exist and run, every relative link in README.md and docs/*.md leads to a file (and
heading) that exists, the README stays short, and no fact is written on two pages."""
import glob
import os
import re
import unittest

SOURCE_DIR = os.environ["SHARDTAP_SOURCE_DIR"]
README = os.path.join(SOURCE_DIR, "README.md")


def pages():
    return [README, *sorted(glob.glob(os.path.join(SOURCE_DIR, "docs", "*.md")))]


def read(path):
    with open(path, encoding="utf-8") as file:
        return file.read()


def prose_lines(text):
    """The lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def anchors(path):
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, blanks as
    hyphens, a repeated one numbered."""
    seen, found = {}, set()
    for line in prose_lines(read(path)):
        heading = re.match(r"^#{1,6} (.*)", line)
        if not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path):
    """The targets of the page's links and images, outside code."""
    text = "\n".join(prose_lines(read(path)))
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"!?\[[^\]]*\]\(([^)\s]+)\)", text)


class SetUpCommandsTest(unittest.TestCase):
    def test_the_readme_opens_with_the_two_commands_and_they_are_scripts_that_run(self):
        lines = read(README).split("\n")
        start = lines.index("```sh")
        self.assertLess(start, 8, "the set-up commands come first")
        block = lines[start + 1:lines.index("```", start + 1)]
        commands = dict(re.match(r"^(scripts/\S+) +# (.+)$", line).groups() for line in block)
        self.assertEqual(len(commands), 2, block)
        for script in commands:
            with self.subTest(script=script):
                self.assertTrue(os.access(os.path.join(SOURCE_DIR, script), os.X_OK))
        every_test = [script for script, what in commands.items() if what.startswith("every test")]
        main_job = [script for script, what in commands.items() if what.startswith("the main job")]
        self.assertEqual(len(every_test), 1, commands)
        self.assertEqual(len(main_job), 1, commands)
        # CI runs every test; the main job runs the sample split over local nodes.
        self.assertIn(f"exec {every_test[0]}", read(os.path.join(SOURCE_DIR, ".ci", "run")))
        demo = read(os.path.join(SOURCE_DIR, main_job[0]))
        self.assertRegex(demo, r'"\$shardtap" run -n ')
        self.assertIn("sample_project/slow_tests", demo)


class LinksTest(unittest.TestCase):
    def test_every_relative_link_leads_to_a_file_and_heading_that_exist(self):
        checked = 0
        for page in pages():
            for target in links(page):
                if re.match(r"^[a-z]+:", target):
                    continue  # https:, mailto:
                with self.subTest(page=os.path.relpath(page, SOURCE_DIR), target=target):
                    path, _, anchor = target.partition("#")
                    resolved = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
                    self.assertTrue(os.path.exists(resolved), resolved)
                    if anchor:
                        self.assertIn(anchor, anchors(resolved))
                    checked += 1
        self.assertGreater(checked, 20)

    def test_every_docs_page_is_linked_from_the_readme(self):
        linked = {os.path.normpath(os.path.join(SOURCE_DIR, target.partition("#")[0]))
                  for target in links(README)}
        for page in pages()[1:]:
            with self.subTest(page=os.path.relpath(page, SOURCE_DIR)):
                self.assertIn(page, linked)

    def test_the_anchor_reader_reads_headings_as_github_does(self):
        self.assertIn("ctest-shardtap_discover_tests", anchors(README))
        self.assertIn("which-node-am-i", anchors(README))
        self.assertNotIn("shardtap-node_index-3", anchors(os.path.join(SOURCE_DIR, "docs", "tap-stream.md")))


class FrontDoorTest(unittest.TestCase):
    def test_the_readme_stays_short(self):
        self.assertLess(len(read(README).split("\n")), 220)

    def test_no_line_of_prose_is_on_two_pages(self):
        where = {}
        for page in pages():
            for line in prose_lines(read(page)):
                text = " ".join(line.split())
                if len(text) >= 60 and not text.startswith("| ---"):
                    where.setdefault(text, set()).add(os.path.relpath(page, SOURCE_DIR))
        twice = {text: sorted(found) for text, found in where.items() if len(found) > 1}
        self.assertEqual(twice, {})

    def test_the_catch2_requirement_is_said_once_in_the_readme(self):
        said = [os.path.relpath(page, SOURCE_DIR) for page in pages() for _ in
                re.finditer(r"Catch2 v3, from 3\.4\.0 to", read(page))]
        self.assertEqual(said, ["README.md"])
        readme = read(README)
        requirements = readme[readme.index("## Requirements"):]
        requirements = requirements[:requirements.index("\n## ")]
        self.assertIn("Catch2 v3, from 3.4.0 to", requirements)

    def test_the_commands_synopses_and_statuses_are_on_one_page(self):
        synopsis = re.compile(r"^shardtap (?:run|merge|plan) .*\[", re.M)
        status_table = "| status | meaning |"
        found = {os.path.relpath(page, SOURCE_DIR): (len(synopsis.findall(read(page))),
                                                     read(page).count(status_table))
                 for page in pages()}
        holding = {page: counts for page, counts in found.items() if counts != (0, 0)}
        self.assertEqual(holding, {os.path.join("docs", "command.md"): (3, 1)})


if __name__ == "__main__":
    unittest.main()
