/* Trygg: the walk protocol's map. The route, the stops (squares) and the numbered findings
   (circles) over the installation's own boundaries (Trygg.baseMap, basemap.js). The same
   places are listed in the protocol, so the map is a help, not the only way to read it. */
(function () {
  "use strict";

  function label(text, className) {
    return L.divIcon({
      className: className,
      html: "<span>" + String(text) + "</span>",
      iconSize: [22, 22],
      iconAnchor: [11, 11],
    });
  }

  function draw(map, config) {
    var layers = [];
    if (config.route && config.route.length > 1) {
      layers.push(L.polyline(config.route, { color: "#1f3b5c", weight: 4, dashArray: "8 5", interactive: false }));
    }
    config.stops.forEach(function (stop) {
      layers.push(
        L.marker([stop.lat, stop.lon], {
          icon: label(stop.label, "walk-marker walk-marker-stop"),
          title: config.texts.stop + " " + stop.label + ": " + stop.name,
          keyboard: false,
        })
      );
    });
    config.findings.forEach(function (finding) {
      layers.push(
        L.marker([finding.lat, finding.lon], {
          icon: label(finding.label, "walk-marker walk-marker-finding"),
          title: config.texts.finding + " " + finding.label + ": " + finding.name,
          keyboard: false,
        })
      );
    });
    var group = L.featureGroup(layers).addTo(map);
    if (layers.length) {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var config = window.Trygg.readConfig("walk-map-config");
    var element = document.getElementById("walk-map");
    if (!config || !element) return;
    element.hidden = false;
    var base = window.Trygg.baseMap(element, config);
    base.ready.then(function (map) { draw(map, config); });
  });
})();
