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

  // A map's geometry comes from its versioned address (data-topojson), kept by the browser for a
  // year, and is handed to Plotly as preloaded geo assets (Plotly's own offline mechanism).
  function loadGeometry(block) {
    var address = block.getAttribute("data-topojson");
    if (!address) return Promise.resolve();
    var name = address.split("?")[0].split("/").pop().replace(/\.json$/, "");
    return fetch(address)
      .then(function (response) {
        if (!response.ok) throw new Error("map geometry: HTTP " + response.status);
        return response.json();
      })
      .then(function (topojson) {
        window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
        window.PlotlyGeoAssets.topojson[name] = topojson;
      });
  }

  function draw(block) {
    var element = document.getElementById(block.getAttribute("data-chart-for"));
    if (!element) return;
    var figure = JSON.parse(block.textContent);
    loadGeometry(block)
      .then(function () {
        return window.Plotly.newPlot(element, figure.data, figure.layout, config);
      })
      .then(function (plot) {
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
