/* Trygg: tonight's shifts on the map. Each area with a shift is drawn over the installation's
   own boundaries (Trygg.baseMap, basemap.js), with its shifts in a popup; an area where two
   groups overlap has a thick border. The table on the page lists the same shifts, so the map is
   a help, not the only way to read them. */
(function () {
  "use strict";

  var COLOUR = "#1d5aa6";
  var CLASH = "#7a5500";

  function popup(area, texts) {
    var box = document.createElement("div");
    box.className = "presence-popup";
    var title = document.createElement("strong");
    title.textContent = area.name;
    box.appendChild(title);
    var list = document.createElement("ul");
    area.shifts.forEach(function (shift) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = shift.url;
      link.textContent = shift.group + " " + shift.time;
      item.appendChild(link);
      var extra = ", " + window.Trygg.format(texts.people, { n: shift.people });
      if (shift.clash) extra += ". " + texts.clash;
      item.appendChild(document.createTextNode(extra));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function draw(map, config) {
    var features = config.areas.filter(function (area) { return area.geometry; }).map(function (area) {
      return { type: "Feature", geometry: area.geometry, properties: area };
    });
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (feature) {
        var clash = feature.properties.shifts.some(function (s) { return s.clash; });
        return { color: clash ? CLASH : COLOUR, weight: clash ? 4 : 2, fillColor: COLOUR, fillOpacity: 0.25 };
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature.properties, config.texts));
        layer.bindTooltip(feature.properties.name, { sticky: true });
      },
    }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var config = window.Trygg.readConfig("tonight-map-config");
    var element = document.getElementById("tonight-map");
    var status = document.getElementById("tonight-map-status");
    if (!config || !element || !config.areas.length) return;
    element.hidden = false;
    var base = window.Trygg.baseMap(element, config);
    base.ready.then(function (map) {
      var layer = draw(map, config);
      if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false });
      if (status) status.textContent = window.Trygg.format(config.texts.shown, { n: config.areas.length });
    });
  });
})();
