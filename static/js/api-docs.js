// Starts Swagger UI on the API documentation page, reading the OpenAPI address from the page.
(function () {
  "use strict";

  function start() {
    var element = document.getElementById("swagger-ui");
    if (!element || !window.SwaggerUIBundle) return;
    window.ui = window.SwaggerUIBundle({
      url: element.getAttribute("data-openapi-url"),
      domNode: element,
      deepLinking: true,
      validatorUrl: null,
      tryItOutEnabled: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      onComplete: function () {
        element.setAttribute("data-drawn", "true");
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
