/* Trygg: the coverage map. Each area is shaded by its evening events with nobody out (darker:
   more), over the installation's own boundaries (Trygg.baseMap, basemap.js); its popup gives
   the numbers. The table under the map lists the same numbers, so the map is a help, not the
   only way to read them. */
(function () {
  "use strict";

  var SHADES = ["#f2f2f2", "#fbd9c9", "#f4a582", "#d6604d", "#8c1d18"];

  function shade(n, peak) {
    if (!n || !peak) return SHADES[0];
    return SHADES[Math.min(4, 1 + Math.floor((4 * n) / (peak + 1)))];
  }

  function popup(area, texts) {
    var box = document.createElement("div");
    box.className = "presence-popup";
    var title = document.createElement("strong");
    title.textContent = area.name;
    box.appendChild(title);
    var list = document.createElement("ul");
    [
      window.Trygg.format(texts.uncovered, { n: area.uncovered }),
      window.Trygg.format(texts.evening, { n: area.evening }),
      window.Trygg.format(texts.people, { n: area.peopleHours }),
    ].forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function draw(map, config) {
    var areas = config.areas.filter(function (area) { return area.geometry; });
    var peak = Math.max.apply(null, [0].concat(areas.map(function (a) { return a.uncovered; })));
    var features = areas.map(function (area) {
      return { type: "Feature", geometry: area.geometry, properties: area };
    });
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (feature) {
        return { color: "#4d5660", weight: 1.5, fillColor: shade(feature.properties.uncovered, peak), fillOpacity: 0.75 };
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature.properties, config.texts));
        layer.bindTooltip(feature.properties.name, { sticky: true });
      },
    }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var config = window.Trygg.readConfig("coverage-map-config");
    var element = document.getElementById("coverage-map");
    var status = document.getElementById("coverage-map-status");
    if (!config || !element || !config.areas.length) return;
    element.hidden = false;
    var base = window.Trygg.baseMap(element, config);
    base.ready.then(function (map) {
      var layer = draw(map, config);
      if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false });
      var drawn = config.areas.filter(function (area) { return area.geometry; }).length;
      if (status) status.textContent = window.Trygg.format(config.texts.shown, { n: drawn });
    });
  });
})();
