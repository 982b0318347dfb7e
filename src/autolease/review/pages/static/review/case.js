// Draws the case's relationship graph with Cytoscape.js; a click on another application
// opens its case. The data is the JSON block #graph-data written by the server.
(function () {
  "use strict";
  var el = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!el || !source || typeof window.cytoscape !== "function") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = {
    phone: "#2f7ed8", device: "#8e44ad", card: "#d35400",
    address: "#16a085", employer: "#7f8c8d", identity: "#c0392b"
  };
  var cy = window.cytoscape({
    container: el,
    elements: data.nodes.concat(data.edges),
    layout: { name: "breadthfirst", roots: "#" + el.dataset.center, circle: true, padding: 10 },
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 9, "width": 14, "height": 14,
        "background-color": function (n) { return colours[n.data("type")] || "#95a5a6"; },
        "shape": "round-rectangle" } },
      { selector: "node[type = 'application']", style: { "shape": "ellipse", "width": 26,
        "height": 26, "background-color": "#34495e" } },
      { selector: "node[hop = 0]", style: { "width": 36, "height": 36, "background-color": "#f1c40f" } },
      { selector: "node[?bad]", style: { "background-color": "#e74c3c" } },
      { selector: "node[?ring]", style: { "border-width": 4, "border-color": "#c0392b" } },
      { selector: "edge", style: { "width": 1.5, "label": "data(label)", "font-size": 7,
        "line-color": "#bdc3c7", "curve-style": "bezier", "text-rotation": "autorotate" } }
    ]
  });
  cy.on("tap", "node[type = 'application']", function (event) {
    var id = event.target.id();
    if (id !== el.dataset.center) {
      window.location.href = el.dataset.base + encodeURIComponent(id);
    }
  });
  el.setAttribute("data-drawn", String(cy.nodes().length));
  window.reviewGraph = cy;
})();
