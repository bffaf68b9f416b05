/* kg notebook view: draws one graph inside its own output cell. Text only via textContent. */
(function () {
  "use strict";
  if (window.kgNotebookRender) { return; }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }

  window.kgNotebookRender = function (box) {
    var data = JSON.parse(box.querySelector("script.kg-nb-data").textContent);
    var canvas = box.querySelector(".kg-nb-net");
    var panel = box.querySelector(".kg-nb-panel");
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var s = data.style.types[n.type] || data.style.unknown;
      return { id: n.id, label: n.label, title: n.title, x: n.x, y: n.y, shape: s.shape, size: n.size,
               color: { background: s.color, border: n.prov ? "#3a3a3a" : "#ffffff" }, borderWidth: 1.5,
               shapeProperties: { borderDashes: n.prov ? [4, 3] : false },
               font: { size: 14, strokeWidth: 4, strokeColor: "rgba(255,255,255,0.9)" } };
    }));
    var edges = new vis.DataSet(data.edges.map(function (e) {
      var p = data.style.polarity[String(e.pol)] || data.style.polarity["0"];
      return { id: e.id, from: e.from, to: e.to, title: e.title, arrows: { to: { enabled: true, scaleFactor: 0.55 } },
               color: { color: rgba(p.color, 0.6), highlight: p.color, hover: p.color },
               width: 1 + Math.min(5, Math.log(1 + e.n) * 1.4), smooth: { enabled: true, type: "curvedCW", roundness: e.r } };
    }));
    var network = new vis.Network(canvas, { nodes: nodes, edges: edges }, {
      layout: { improvedLayout: false },
      physics: { solver: "barnesHut", barnesHut: { gravitationalConstant: -6000, springLength: 170, springConstant: 0.015,
                 damping: 0.5, avoidOverlap: 0.3 }, stabilization: { iterations: data.iterations, updateInterval: 25 } },
      interaction: { hover: true, tooltipDelay: 120 }
    });
    function stop() { network.setOptions({ physics: { enabled: false } }); box.setAttribute("data-stable", "1"); }
    network.once("stabilizationIterationsDone", stop);
    network.once("stabilized", stop);
    box.kgNetwork = network;
    network.on("click", function (params) {
      while (panel.firstChild) { panel.removeChild(panel.firstChild); }
      if (params.nodes.length) {
        var n = byId[params.nodes[0]];
        panel.appendChild(el("strong", null, n.name));
        panel.appendChild(el("div", "kg-nb-meta", (n.type || "actor") + " · " + n.docs + " document(s)"));
      } else if (params.edges.length) {
        var e = data.edges[params.edges[0]];
        panel.appendChild(el("strong", null, byId[e.from].name + " " + e.rel + " " + byId[e.to].name));
        panel.appendChild(el("div", "kg-nb-meta", e.n + " evidence" + (e.f ? " · " + e.f + (e.l !== e.f ? " – " + e.l : "") : "")));
        e.ev.forEach(function (ev) {
          var q = el("blockquote");
          var s = ev.s || "";
          if (ev.m) {
            q.appendChild(document.createTextNode(s.slice(0, ev.m[0])));
            q.appendChild(el("mark", null, s.slice(ev.m[0], ev.m[1])));
            q.appendChild(document.createTextNode(s.slice(ev.m[1])));
          } else { q.textContent = s; }
          panel.appendChild(q);
          panel.appendChild(el("div", "kg-nb-meta", [ev.mod, ev.t, ev.d, ev.src].filter(Boolean).join(" · ")));
        });
      }
    });
  };
}());
