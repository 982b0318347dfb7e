// Draws a fraud ring with Cytoscape.js: <div data-graph="ID"> reads {nodes, edges} from the
// JSON script ID. Applications are circles (known bad in red), shared values are diamonds;
// clicking an application opens its page when the node has a link.
(function () {
  "use strict";
  function draw() {
    if (typeof cytoscape === "undefined") { return; }
    document.querySelectorAll("[data-graph]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      var source = document.getElementById(el.getAttribute("data-graph"));
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var cy = cytoscape({
        container: el,
        elements: data.nodes.concat(data.edges),
        layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000 },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 9, "text-valign": "bottom",
            "background-color": "#1d4ed8", width: 18, height: 18, color: "#1f2933" } },
          { selector: "node.value", style: { shape: "diamond", "background-color": "#8a5a00", width: 14, height: 14 } },
          { selector: "node.bad", style: { "background-color": "#b91c1c" } },
          { selector: "edge", style: { width: 1.5, "line-color": "#9aa5b1", label: "data(kind)",
            "font-size": 7, color: "#616e7c", "curve-style": "bezier" } }
        ]
      });
      cy.on("tap", "node", function (event) {
        var href = event.target.data("href");
        if (href) { window.location.href = href; }
      });
      el.setAttribute("data-drawn", String(cy.nodes().length));
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
