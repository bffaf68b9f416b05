"""The site in real headless Chromium (Debian ``chromium`` driven by Playwright), with the network blocked.

Every request that is not ``file://`` is aborted and counted; the tests assert there were none, that pages log no
console error, that clicking a node opens its actor page and an edge shows its evidence, and that hostile names
and sentences never open a dialog. Screenshots go to ``tests/artifacts/``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.render.sample import synthetic_data
from kg.render.site import write_site
from kg.render.text import actor_slug, doc_slug
from tests.test_render_fixtures import XSS_KEY, XSS_NAME, hostile_data

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser-site") / "site"
    write_site(hostile_data(), path, node_cap=150)
    return path


class Visit:
    """One page load with the network blocked and everything the page did recorded."""

    def __init__(self, browser, url: str, *, width: int = 1440, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)
        self.page.goto(url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def wait_stable(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function("() => window.kgStable === true", timeout=timeout)

    def node_point(self, name: str) -> tuple[float, float]:
        """Page coordinates of the node labelled ``name`` (through the network exposed by kg.js)."""
        return tuple(self.page.evaluate(
            """(name) => {
                const node = window.kgGraph.nodes.find(n => n.name === name);
                const p = window.kgNetwork.getPositions([node.id])[node.id];
                const dom = window.kgNetwork.canvasToDOM(p);
                const box = document.getElementById('kg-network').getBoundingClientRect();
                return [box.left + dom.x, box.top + dom.y];
            }""", name))

    def clean(self) -> None:
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.blocked == [], f"requests left file://: {self.blocked}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_(url: str, **kw) -> Visit:
        v = Visit(browser, url, **kw)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


def test_index_loads_offline_without_errors(site: Path, visit):
    v = visit((site / "index.html").as_uri())
    v.wait_stable()
    assert v.page.evaluate("() => window.kgNetwork.body.data.nodes.getIds().length") == 4
    assert v.page.evaluate("() => window.kgNetwork.body.data.edges.getIds().length") == 5
    v.screenshot("index-hostile.png")
    v.clean()


def test_clicking_a_node_opens_its_actor_page(site: Path, visit):
    v = visit((site / "index.html").as_uri())
    v.wait_stable()
    x, y = v.node_point("Vladimir Putin")
    v.page.mouse.click(x, y)
    v.page.wait_for_url("**/actor/PUTIN.html", timeout=10_000)
    assert v.page.locator("h1").inner_text().strip() == "Vladimir Putin"
    v.clean()


def test_clicking_an_edge_shows_its_evidence_as_text(site: Path, visit):
    v = visit((site / "actor" / f"{actor_slug(XSS_KEY)}.html").as_uri())
    v.wait_stable()
    point = v.page.evaluate(
        """() => {
            const edge = window.kgGraph.edges.find(e => e.rel === 'attacks');
            const p = window.kgNetwork.body.edges[edge.id].edgeType.getPoint(0.5);
            const dom = window.kgNetwork.canvasToDOM(p);
            const box = document.getElementById('kg-network').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""")
    v.page.mouse.click(*point)
    panel = v.page.locator("#kg-panel")
    panel.wait_for(state="visible", timeout=5_000)
    text = panel.inner_text()
    assert "</script><script>alert(1)</script>" in text  # shown as text, not run
    assert v.page.locator("#kg-panel mark").first.inner_text() == "attacked"
    assert v.page.locator("#kg-panel img").count() == 0
    v.screenshot("actor-edge-panel.png")
    v.clean()


def test_hostile_actor_and_document_pages_run_no_script(site: Path, visit):
    for url in ((site / "actor" / f"{actor_slug(XSS_KEY)}.html").as_uri(),
                (site / "doc" / f"{doc_slug('b <script>.txt')}.html").as_uri(),
                (site / "relation" / "attacks.html").as_uri(), (site / "contradictions.html").as_uri()):
        v = visit(url)
        if v.page.locator("#kg-network").count():
            v.wait_stable()
        v.page.wait_for_timeout(200)
        assert v.page.evaluate("() => document.querySelectorAll('img').length") == 0
        v.clean()
    page = v.page
    v2 = visit((site / "actor" / f"{actor_slug(XSS_KEY)}.html").as_uri())
    v2.wait_stable()
    assert v2.page.locator("h1").inner_text().strip() == XSS_NAME
    v2.clean()
    del page


def test_document_page_loads_and_links_mentions(site: Path, visit):
    v = visit((site / "doc" / f"{doc_slug('a.txt')}.html").as_uri())
    v.wait_stable()
    assert v.page.locator(".doc-text a.mention").count() >= 6
    v.screenshot("doc.png")
    v.page.locator(".doc-text a.mention", has_text="Putin").first.click()
    v.page.wait_for_url("**/actor/PUTIN.html")
    v.clean()


def test_search_reaches_every_actor_and_shows_names_as_text(site: Path, visit):
    v = visit((site / "index.html").as_uri())
    v.page.fill("#kg-search", "onerror")
    results = v.page.locator("#kg-search-results a")
    results.first.wait_for()
    assert results.count() == 1
    assert results.first.inner_text().startswith(XSS_NAME)
    v.page.keyboard.press("Enter")
    v.page.wait_for_url(f"**/actor/{actor_slug(XSS_KEY)}.html")
    v.clean()


def test_filters_hide_and_cap_client_side(tmp_path: Path, visit):
    write_site(synthetic_data(300, 700, 60), tmp_path, node_cap=40)
    v = visit((tmp_path / "index.html").as_uri())
    v.wait_stable()
    shown = "() => window.kgNetwork.body.data.nodes.get().map(n => n.id)"
    assert len(v.page.evaluate(shown)) == 40
    assert "260 more actors not shown" in v.page.locator("#kg-cap-note").inner_text()
    for box in v.page.locator("input[name=type]").all():
        if box.get_attribute("value") != "State":
            box.uncheck()
    ids = v.page.evaluate(shown)
    types = v.page.evaluate("(ids) => ids.map(id => window.kgGraph.nodes[id].type)", ids)
    assert 0 < len(ids) <= 40 and set(types) == {"State"}
    v.page.locator("input[name=polarity][value='1']").uncheck()
    v.page.locator("input[name=polarity][value='0']").uncheck()
    pols = v.page.evaluate("() => window.kgNetwork.body.data.edges.get().map(e => window.kgGraph.edges[e.id].pol)")
    assert pols and set(pols) == {-1}
    v.clean()


def test_index_screenshot_of_a_realistic_graph(tmp_path: Path, visit):
    """The screenshot for the README: the FA-KES build when available, else a synthetic corpus."""
    source = Path(os.environ.get("KG_SCREENSHOT_SITE", "/nonexistent")) / "index.html"
    if not source.exists():
        write_site(synthetic_data(220, 420, 80, seed=11), tmp_path, node_cap=120)
        source = tmp_path / "index.html"
    v = visit(source.as_uri(), width=1600, height=1000)
    v.wait_stable(timeout=120_000)
    v.page.wait_for_timeout(300)
    shot = v.screenshot("index.png")
    v.clean()
    assert shot.stat().st_size > 20_000


def test_notebook_snippet_draws_offline_even_with_requirejs(tmp_path: Path, visit):
    from kg.render import show

    snippet = show(hostile_data().G)._repr_html_()
    page = tmp_path / "notebook.html"
    # classic Notebook has RequireJS: an AMD `define` must not swallow vis-network
    page.write_text("<!doctype html><meta charset=utf-8><script>window.define = function () { "
                    "throw new Error('AMD define called'); }; window.define.amd = {};</script>"
                    f"<body><div class=output>{snippet}</div></body>", encoding="utf-8")
    v = visit(page.as_uri())
    v.page.wait_for_function("() => document.querySelector('.kg-nb[data-stable]') !== null", timeout=60_000)
    assert v.page.locator(".kg-nb canvas").count() == 1
    v.screenshot("notebook.png")
    v.clean()
