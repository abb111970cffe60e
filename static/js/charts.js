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

  // On a narrow screen a chart's legend goes above it and a colour scale under its map, so that
  // the plot has the whole width and no label runs into another.
  var NARROW = 600;
  function fitNarrowScreen(element, figure) {
    var width = element.clientWidth;
    if (width >= NARROW) return;
    var layout = figure.layout;
    if (layout.legend) {
      layout.legend = Object.assign({}, layout.legend, {
        orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom",
      });
      layout.margin = Object.assign({}, layout.margin, { r: 30 });
      layout.height = (layout.height || 340) + 80;
      if (layout.xaxis) layout.xaxis = Object.assign({}, layout.xaxis, { nticks: 3 });
      if (layout.xaxis && layout.xaxis2) {
        layout.xaxis.domain = [0, 0.62];
        layout.xaxis2 = Object.assign({}, layout.xaxis2, { domain: [0.76, 1] });
      }
    }
    var scales = figure.data.filter(function (trace) {
      return trace.colorbar && trace.showscale !== false;
    });
    if (!scales.length) return;
    scales.forEach(function (trace) {
      trace.colorbar.orientation = "h";
      trace.colorbar.x = 0.5;
      trace.colorbar.xanchor = "center";
      trace.colorbar.y = 0;
      trace.colorbar.yanchor = "top";
      trace.colorbar.thickness = 10;
      trace.colorbar.title = Object.assign({}, trace.colorbar.title, { side: "top" });
    });
    layout.height = Math.round(width * 0.55) + 90;
    layout.margin = Object.assign({}, layout.margin, { b: 90 });
  }

  function draw(block) {
    var element = document.getElementById(block.getAttribute("data-chart-for"));
    if (!element) return;
    var figure = JSON.parse(block.textContent);
    fitNarrowScreen(element, figure);
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
