/* kg site script: search over all actors, the vis-network graphs, filters and the evidence panel.
 * Article text is only ever inserted with textContent / createTextNode, never parsed as HTML.
 * Exposes window.kgNetwork (the vis.Network), window.kgGraph (payload) and window.kgStable (true once laid out).
 */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  window.kgStable = false;
  window.kgTimes = { start: (window.performance && performance.now()) || 0 };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
      });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function safeHref(href) {
    // every link the pages build is relative (no scheme); anything else is dropped
    return typeof href === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(href) ? href : null;
  }

  /* ------------------------------------------------------------------ search over all actors */
  function setupSearch() {
    var input = document.getElementById("kg-search");
    var list = document.getElementById("kg-search-results");
    var actors = window.kgActors || [];
    if (!input || !list) { return; }
    var folded = actors.map(function (a) { return (a[0] + " | " + a[3] + " | " + a[4]).toLowerCase(); });
    var active = -1;

    function render(query) {
      clear(list);
      active = -1;
      query = query.trim().toLowerCase();
      if (!query) { list.hidden = true; return; }
      var starts = [], contains = [];
      for (var i = 0; i < actors.length && starts.length < 20; i++) {
        var pos = folded[i].indexOf(query);
        if (pos === 0 || (pos > 0 && /[\s|(\-]/.test(folded[i].charAt(pos - 1)))) { starts.push(i); }
        else if (pos > 0 && contains.length < 20) { contains.push(i); }
      }
      var hits = starts.concat(contains).slice(0, 20);
      hits.forEach(function (i) {
        var a = actors[i];
        var li = el("li");
        var link = el("a", { href: root + "actor/" + a[1] + ".html" }, a[0]);
        if (a[2]) { link.appendChild(el("span", { "class": "alias" }, a[2] + (a[3] ? " · " + a[3] : ""))); }
        li.appendChild(link);
        list.appendChild(li);
      });
      if (!hits.length) { list.appendChild(el("li", { "class": "none" }, "No actor matches")); }
      list.hidden = false;
    }

    input.addEventListener("input", function () { render(input.value); });
    input.addEventListener("keydown", function (event) {
      var links = list.querySelectorAll("a");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!links.length) { return; }
        if (active >= 0) { links[active].classList.remove("active"); }
        active = (active + (event.key === "ArrowDown" ? 1 : links.length - 1)) % links.length;
        links[active].classList.add("active");
      } else if (event.key === "Enter") {
        var target = links[active >= 0 ? active : 0];
        if (target) { window.location.href = target.getAttribute("href"); }
      } else if (event.key === "Escape") {
        list.hidden = true;
      }
    });
    document.addEventListener("click", function (event) {
      if (!list.contains(event.target) && event.target !== input) { list.hidden = true; }
    });
  }

  /* ------------------------------------------------------------------ evidence panel */
  function sentenceNode(ev) {
    var quote = el("blockquote");
    var text = ev.s || "";
    if (ev.m && ev.m[0] < ev.m[1]) {
      quote.appendChild(document.createTextNode(text.slice(0, ev.m[0])));
      quote.appendChild(el("mark", null, text.slice(ev.m[0], ev.m[1])));
      quote.appendChild(document.createTextNode(text.slice(ev.m[1])));
    } else {
      quote.textContent = text;
    }
    return quote;
  }

  function showEdge(graph, edge, byId) {
    var panel = document.getElementById("kg-panel");
    var body = document.getElementById("kg-panel-body");
    if (!panel || !body) { return; }
    clear(body);
    var from = byId[edge.from], to = byId[edge.to];
    var pol = graph.style.polarity[String(edge.pol)] || graph.style.polarity["0"];
    var head = el("h2");
    head.appendChild(el("a", { href: safeHref(from.url) }, from.name));
    head.appendChild(document.createTextNode(" "));
    var rel = el("a", { href: safeHref(edge.url), style: "color:" + pol.color }, edge.rel);
    head.appendChild(rel);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("a", { href: safeHref(to.url) }, to.name));
    body.appendChild(head);
    var dates = edge.f ? (edge.f + (edge.l && edge.l !== edge.f ? " – " + edge.l : "")) : "undated";
    body.appendChild(el("p", { "class": "counts" }, pol.label + " · " + edge.n + " evidence · " + dates));
    var list = el("ul", { "class": "evidence-list" });
    (edge.ev || []).forEach(function (ev) {
      var item = el("li", { "class": "evidence mod-" + ev.mod });
      item.appendChild(sentenceNode(ev));
      var meta = el("div", { "class": "meta" });
      meta.appendChild(el("span", { "class": "badge mod-" + ev.mod }, ev.mod));
      if (ev.doc) { meta.appendChild(el("a", { href: safeHref(ev.doc), "class": "doc" }, ev.t)); }
      else { meta.appendChild(el("span", { "class": "doc" }, ev.t)); }
      if (ev.d) { meta.appendChild(el("time", null, ev.d)); }
      if (ev.src) { meta.appendChild(el("span", { "class": "source" }, ev.src)); }
      item.appendChild(meta);
      list.appendChild(item);
    });
    body.appendChild(list);
    if (edge.more > 0) {
      var more = el("p", { "class": "more" });
      more.appendChild(document.createTextNode(edge.more + " more evidence on "));
      more.appendChild(el("a", { href: safeHref(from.url) }, from.name + "'s page"));
      body.appendChild(more);
    }
    panel.hidden = false;
  }

  /* ------------------------------------------------------------------ the network */
  function hexToRgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function visNode(graph, n) {
    var s = graph.style.types[n.type] || graph.style.unknown;
    return {
      id: n.id, label: n.label, title: n.title, x: n.x, y: n.y, shape: s.shape, size: n.focus ? Math.max(n.size, 30) : n.size,
      color: { background: s.color, border: n.focus ? "#16202e" : (n.prov ? "#3a3a3a" : "#ffffff"),
               highlight: { background: s.color, border: "#16202e" }, hover: { background: s.color, border: "#16202e" } },
      borderWidth: n.focus ? 4 : (n.prov ? 2 : 1.5),
      shapeProperties: { borderDashes: n.prov ? [4, 3] : false },
      font: { size: n.focus ? 22 : (graph.kind === "index" ? 22 : 16), color: "#1d2430", strokeWidth: 4, strokeColor: "rgba(255,255,255,0.9)" }
    };
  }

  function visEdge(graph, e, labels) {
    var pol = graph.style.polarity[String(e.pol)] || graph.style.polarity["0"];
    return {
      id: e.id, from: e.from, to: e.to, title: e.title, arrows: { to: { enabled: true, scaleFactor: 0.55 } },
      label: labels ? e.rel : undefined,
      font: { size: 11, color: "#4a5565", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      color: { color: hexToRgba(pol.color, 0.55), highlight: pol.color, hover: pol.color },
      width: 1 + Math.min(5, Math.log(1 + e.n) * 1.4), selectionWidth: 2,
      smooth: { enabled: true, type: "curvedCW", roundness: e.r }
    };
  }

  function markStable(network, status) {
    if (window.kgStable) { return; }
    network.setOptions({ physics: { enabled: false } });
    window.kgStable = true;
    window.kgTimes.stable = (window.performance && performance.now()) || 0;
    document.body.setAttribute("data-stable", "1");
    if (status) { status.hidden = true; }
  }

  function setupGraph() {
    var dataNode = document.getElementById("kg-data");
    var container = document.getElementById("kg-network");
    if (!dataNode || !container || typeof vis === "undefined") { return; }
    var graph = JSON.parse(dataNode.textContent);
    window.kgGraph = graph;
    var byId = {};
    graph.nodes.forEach(function (n) { byId[n.id] = n; });
    var status = document.getElementById("kg-status");
    var isIndex = graph.kind === "index";
    var nodes = new vis.DataSet(graph.nodes.map(function (n) { return visNode(graph, n); }));
    var edges = new vis.DataSet(graph.edges.map(function (e) { return visEdge(graph, e, !isIndex); }));
    var visibleNodes = {}, visibleEdges = {};
    graph.nodes.forEach(function (n, i) { visibleNodes[n.id] = !isIndex || i < graph.cap; });
    graph.edges.forEach(function (e) { visibleEdges[e.id] = true; });
    var nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes[n.id]; } });
    var edgeView = new vis.DataView(edges, {
      filter: function (e) { return visibleEdges[e.id] && visibleNodes[e.from] && visibleNodes[e.to]; }
    });
    var many = graph.nodes.length > 200 || graph.edges.length > 800;
    var options = {
      autoResize: true,
      layout: { improvedLayout: false, randomSeed: graph.seed || 42 },
      physics: {
        enabled: true, solver: "barnesHut",
        barnesHut: { gravitationalConstant: isIndex ? -12000 : -6000, centralGravity: 0.1, springLength: isIndex ? 220 : 170,
                     springConstant: 0.015,
                     damping: 0.5, avoidOverlap: 0.3 },
        stabilization: { enabled: true, iterations: graph.iterations || 150, updateInterval: 25, fit: true },
        minVelocity: 1.5, maxVelocity: 40
      },
      interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: many, hideEdgesOnZoom: many, navigationButtons: false,
                     keyboard: false, multiselect: false },
      nodes: { scaling: { min: 8, max: 40 } },
      edges: { hoverWidth: 1.5 }
    };
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
    window.kgNetwork = network;
    network.once("stabilizationIterationsDone", function () { markStable(network, status); });
    network.once("stabilized", function () { markStable(network, status); });
    if (nodeView.length === 0) { markStable(network, status); }
    setTimeout(function () { markStable(network, status); }, 20000);

    network.on("click", function (params) {
      if (params.nodes && params.nodes.length) {
        var node = byId[params.nodes[0]];
        var href = node && safeHref(node.url);
        if (href) { window.location.href = href; }
      } else if (params.edges && params.edges.length) {
        var edge = graph.edges[params.edges[0]];
        if (edge) { showEdge(graph, edge, byId); }
      }
    });
    network.on("hoverNode", function () { container.style.cursor = "pointer"; });
    network.on("blurNode", function () { container.style.cursor = "default"; });
    var close = document.getElementById("kg-panel-close");
    if (close) { close.addEventListener("click", function () { document.getElementById("kg-panel").hidden = true; }); }
    if (isIndex) { setupFilters(graph, nodeView, edgeView, visibleNodes, visibleEdges, network); }
  }

  /* ------------------------------------------------------------------ index filters */
  function setupFilters(graph, nodeView, edgeView, visibleNodes, visibleEdges, network) {
    var form = document.getElementById("kg-filters");
    var note = document.getElementById("kg-cap-note");
    if (!form) { return; }
    var allRelations = form.querySelectorAll("input[name=relation]").length;
    var known = graph.style.types;
    var output = document.getElementById("kg-min-out");

    function checked(name) {
      var set = {};
      Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]:checked"), function (i) { set[i.value] = true; });
      return set;
    }

    function apply() {
      var types = checked("type"), rels = checked("relation"), pols = checked("polarity");
      var from = form.elements.from.value, to = form.elements.to.value;
      var min = parseInt(form.elements.min.value, 10) || 1;
      if (output) { output.textContent = String(min); }
      var relCount = Object.keys(rels).length;
      var edgeFiltering = relCount < allRelations || Object.keys(pols).length < 3 || min > 1 || from || to;
      var typeOk = {};
      graph.nodes.forEach(function (n) { typeOk[n.id] = !!types[known[n.type] ? n.type : ""]; });
      var touched = {};
      graph.edges.forEach(function (e) {
        var ok = rels[e.rel] && pols[String(e.pol)] && e.n >= min && typeOk[e.from] && typeOk[e.to];
        if (ok && (from || to)) {
          ok = !!e.f && (!from || (e.l || e.f) >= from) && (!to || e.f.slice(0, to.length) <= to);
        }
        visibleEdges[e.id] = !!ok;
        if (ok) { touched[e.from] = true; touched[e.to] = true; }
      });
      var shown = 0, candidates = 0;
      graph.nodes.forEach(function (n) {  // nodes come most central first
        var ok = typeOk[n.id] && (!edgeFiltering || touched[n.id]);
        if (ok) { candidates += 1; }
        visibleNodes[n.id] = ok && shown < graph.cap;
        if (visibleNodes[n.id]) { shown += 1; }
      });
      nodeView.refresh();
      edgeView.refresh();
      if (note) {
        var rest = graph.total - shown;
        note.textContent = "Showing " + shown + " actors" + (candidates > shown ? " (the top " + shown + " of " + candidates + " matching)" : "") +
          (rest > 0 ? "; " + rest + " more actors not shown (refine the filters or use the search box)." : ".");
      }
    }

    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    function setAll(value) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=relation]"), function (i) { i.checked = value; });
      apply();
    }
    var all = document.getElementById("kg-rel-all"), none = document.getElementById("kg-rel-none");
    if (all) { all.addEventListener("click", function () { setAll(true); }); }
    if (none) { none.addEventListener("click", function () { setAll(false); }); }
    window.kgApplyFilters = apply;
  }

  setupSearch();
  setupGraph();
}());
