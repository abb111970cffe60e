// Draws every chart whose figure the server put in a <script type="application/json" data-chart-for>
// block; clicking a point opens its figure (or, on the map, its country).
(function () {
  "use strict";
  var config = {
    responsive: true,
    displaylogo: false,
    topojsonURL: "/static/geo/",
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud"],
  };

  function openPoint(event) {
    var point = event.points && event.points[0];
    if (!point || point.customdata === undefined || point.customdata === null) return;
    var target = String(point.customdata);
    if (/^\d+$/.test(target)) {
      window.location.assign("/figures/" + target);
    } else if (/^\/(countries|regions)\/[A-Za-z0-9-]+$/.test(target)) {
      window.location.assign(target);
    }
  }

  function draw(block) {
    var element = document.getElementById(block.getAttribute("data-chart-for"));
    if (!element) return;
    var figure = JSON.parse(block.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function (plot) {
      plot.on("plotly_click", openPoint);
      element.setAttribute("data-drawn", "true");
    });
  }

  function drawAll() {
    if (!window.Plotly) return;
    document.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
