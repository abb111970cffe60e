// Draws every chart whose figure the server put in a <script type="application/json" data-chart-for>
// block; clicking a point opens its figure (or, on the map, its country). A chart whose canvas
// names its export (data-export-title, -credit, -name: text the server made safe for Plotly) gets
// two download buttons, PNG and SVG, in place of Plotly's own: the image carries the title, the
// claimants' legend and the credit line (source, dataset version, licence, the page's address).
(function () {
  "use strict";
  // In an embed, framed by another site, links open in a new window: the other pages refuse frames.
  var framed = window.self !== window.top;
  var EXPORT_WIDTH = 1000;
  var EXPORT_TITLE_ROOM = 80;
  var baseConfig = {
    responsive: true,
    displaylogo: false,
    topojsonURL: "/static/geo/",
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud", "sendChartToCloud"],
  };

  function go(address) {
    if (framed) {
      window.open(address, "_blank", "noopener");
    } else {
      window.location.assign(address);
    }
  }

  function openPoint(event) {
    var point = event.points && event.points[0];
    if (!point || point.customdata === undefined || point.customdata === null) return;
    var target = String(point.customdata);
    if (/^\d+$/.test(target)) {
      go("/figures/" + target);
    } else if (/^\/(countries|regions)\/[A-Za-z0-9-]+$/.test(target)) {
      go(target);
    }
  }

  function showsLegend(data) {
    return data.some(function (trace) {
      return trace.type === "scatter" && trace.name && trace.showlegend !== false;
    });
  }

  // A copy of the chart laid out for an image: the title and the credit line above the plot,
  // the legend always shown (Plotly hides a legend of one entry).
  function exportFigure(block, exported) {
    var figure = JSON.parse(block.textContent);
    var layout = figure.layout;
    var margin = layout.margin || {};
    layout.margin = Object.assign({}, margin, { t: (margin.t || 0) + EXPORT_TITLE_ROOM });
    layout.height = (layout.height || 400) + EXPORT_TITLE_ROOM;
    layout.width = EXPORT_WIDTH;
    layout.title = {
      text: "<b>" + exported.title + "</b>",
      x: 0.01,
      xanchor: "left",
      y: 0.98,
      yanchor: "top",
      font: { size: 17 },
      subtitle: { text: exported.credit, font: { size: 11 } },
    };
    if (showsLegend(figure.data)) layout.showlegend = true;
    return figure;
  }

  function downloadButton(format, icon, block, exported) {
    return {
      name: "download-" + format,
      title: "Download as " + format.toUpperCase() + " (with title, source and link)",
      icon: icon,
      click: function () {
        var figure = exportFigure(block, exported);
        window.Plotly.downloadImage(figure, {
          format: format,
          filename: exported.name,
          width: figure.layout.width,
          height: figure.layout.height,
          scale: format === "png" ? 2 : 1,
        });
      },
    };
  }

  function configFor(element, block) {
    var title = element.getAttribute("data-export-title");
    if (!title) return baseConfig;
    var exported = {
      title: title,
      credit: element.getAttribute("data-export-credit") || "",
      name: element.getAttribute("data-export-name") || "chart",
    };
    var icons = window.Plotly.Icons;
    return Object.assign({}, baseConfig, {
      modeBarButtonsToRemove: baseConfig.modeBarButtonsToRemove.concat(["toImage"]),
      modeBarButtonsToAdd: [
        downloadButton("png", icons.camera, block, exported),
        downloadButton("svg", icons.disk, block, exported),
      ],
    });
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
    var config = configFor(element, block);
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

  function selectOnFocus(field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  }

  function drawAll() {
    document.querySelectorAll("textarea.embed-code").forEach(selectOnFocus);
    if (!window.Plotly) return;
    document.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
