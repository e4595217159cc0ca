/* Trygg: the map of one walk (the public page): its area, route, numbered stops and findings.
   No boundaries are fetched (the public is not logged in): the walk brings its own outline.
   Tiles are added only when the installation names a tile server. */
(function () {
  "use strict";

  function label(text, n) {
    return text.replace("%(n)s", n);
  }

  function numbered(latlng, n, className) {
    return L.marker(latlng, {
      icon: L.divIcon({ className: className, html: String(n), iconSize: [24, 24] }),
      keyboard: false,
    });
  }

  function draw(element, config) {
    var map = L.map(element, { zoomSnap: 1, maxZoom: 19, attributionControl: false });
    if (config.tilesUrl) {
      L.tileLayer(config.tilesUrl, { maxZoom: 19, attribution: config.tilesAttribution || "" }).addTo(map);
      if (config.tilesAttribution) L.control.attribution({ prefix: false }).addTo(map);
    } else {
      element.classList.add("map-no-tiles");
    }
    // Leaflet draws nothing on a map without a view: start on the first stop, fit at the end.
    var start = config.stops[0] || config.findings[0];
    map.setView(start ? [start.lat, start.lon] : [62.0, 15.0], start ? 15 : 5);
    var layers = [];
    if (config.area) {
      layers.push(L.geoJSON(config.area, {
        interactive: false,
        style: { color: "#4d5660", weight: 1.5, dashArray: "5 4", fillColor: "#ffffff", fillOpacity: 0.6 },
      }).addTo(map));
    }
    if (config.route) {
      layers.push(L.geoJSON(config.route, { interactive: false, style: { color: "#1d5aa6", weight: 4 } }).addTo(map));
    } else if (config.stops.length > 1) {
      var line = config.stops.map(function (s) { return [s.lat, s.lon]; });
      layers.push(L.polyline(line, { color: "#1d5aa6", weight: 4, dashArray: "8 6", interactive: false }).addTo(map));
    }
    config.stops.forEach(function (stop) {
      var marker = numbered([stop.lat, stop.lon], stop.order, "walk-stop-icon")
        .bindTooltip(label(config.texts.stop, stop.order) + ": " + stop.name).addTo(map);
      layers.push(L.featureGroup([marker]));
    });
    config.findings.forEach(function (finding) {
      var marker = L.circleMarker([finding.lat, finding.lon], {
        radius: 7, color: "#ffffff", weight: 2, fillColor: "#b3261e", fillOpacity: 1,
      }).bindTooltip(label(config.texts.finding, finding.number) + ": " + finding.category).addTo(map);
      layers.push(L.featureGroup([marker]));
    });
    var bounds = L.featureGroup(layers.filter(function (l) { return l !== layers[0] || !config.area; })).getBounds();
    if (!bounds.isValid() && layers.length) bounds = L.featureGroup(layers).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17, animate: false });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("walk-map");
    var node = document.getElementById("walk-map-config");
    if (!element || !node || typeof L === "undefined") return;
    element.hidden = false;
    draw(element, JSON.parse(node.textContent));
  });
})();
