/* Trygg: the map on the public page of residents' reports. The server groups the reports into
   squares for the map's zoom (never finer than 100 m) and this file only draws them: a square
   with many reports as its count (choose it to zoom in), a square with one as a point whose
   popup says what and how it stands. The list on the page is the content; this is an addition. */
(function () {
  "use strict";

  var config = window.Trygg && Trygg.readConfig("public-map-config");
  var section = document.getElementById("map-section");
  var element = document.getElementById("public-map");
  var status = document.getElementById("map-status");
  if (!config || !element || !window.L) return;

  section.hidden = false;
  var texts = config.texts;
  var base = Trygg.baseMap(element, config);
  var map = base.map;
  var layer = L.layerGroup().addTo(map);
  var controller = null;
  var lastZoom = null;

  function number(n) {
    return n.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "sv-SE");
  }

  function load() {
    var zoom = map.getZoom();
    if (zoom === lastZoom) return; // the squares depend on the zoom only
    lastZoom = zoom;
    if (controller) controller.abort();
    controller = new AbortController();
    var url = new URL(config.dataUrl, window.location.href);
    url.searchParams.set("zoom", String(zoom));
    status.textContent = texts.loading;
    fetch(url, { signal: controller.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(draw)
      .catch(function (error) {
        if (error.name !== "AbortError") status.textContent = texts.error;
      });
  }

  function draw(data) {
    layer.clearLayers();
    data.features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var latlng = [c[1], c[0]];
      if (feature.properties.count === 1 && feature.properties.category) {
        addSingle(latlng, feature.properties);
      } else {
        addSquare(latlng, feature.properties.count);
      }
    });
    status.textContent = data.total
      ? Trygg.format(texts.cells, {
          total: number(data.total),
          cells: number(data.features.length),
          size: number(data.cell_m),
        })
      : texts.empty;
  }

  // The square sized through the DOM, not a style attribute: the Content-Security-Policy allows
  // no inline style.
  function cluster(size, label) {
    var span = document.createElement("span");
    span.className = "cluster";
    span.style.width = span.style.height = size + "px";
    span.style.lineHeight = size - 4 + "px";
    span.textContent = label;
    return span;
  }

  function addSquare(latlng, count) {
    var size = Math.round(28 + 10 * Math.log10(count));
    var title = Trygg.format(texts.cellTitle, { n: number(count) });
    var icon = L.divIcon({ className: "cluster-icon", html: cluster(size, number(count)), iconSize: [size, size] });
    var marker = L.marker(latlng, { icon: icon, title: title, alt: title, keyboard: true });
    marker.on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
    layer.addLayer(marker);
  }

  function addSingle(latlng, properties) {
    var state = properties.open ? texts.open : texts.closed;
    var icon = L.divIcon({
      className: "point-icon",
      html: '<span class="point"></span>',
      iconSize: [18, 18],
    });
    var marker = L.marker(latlng, {
      icon: icon,
      title: properties.category + " (" + state + ")",
      alt: properties.category + " (" + state + ")",
      keyboard: true,
    });
    // Built from text nodes: categories and statuses are never parsed as HTML.
    marker.bindPopup(function () {
      var box = document.createElement("div");
      var kind = document.createElement("strong");
      kind.textContent = properties.category;
      var line = document.createElement("p");
      line.textContent = properties.status;
      box.appendChild(kind);
      box.appendChild(line);
      return box;
    });
    layer.addLayer(marker);
  }

  map.on("zoomend", load);
  base.ready.then(load);
})();
