/* Trygg: the survey beside the events. The frame's sub-areas coloured by the chosen item's
   index (or share), grey where too few answered, with the events per 1,000 residents in each
   area's popup, over the installation's own boundaries (Trygg.baseMap, basemap.js). The tables
   on the page hold the same figures, so the map is a help, not the only way to read them. */
(function () {
  "use strict";

  // Light to dark: more problems felt is darker. Colour-blind safe (ColorBrewer OrRd).
  var COLOURS = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"];
  var TOO_FEW = "#bdbdbd";
  // Bin edges: index values of sub-areas mostly lie between 0.5 and 3; shares between 0 and 0.5.
  var EDGES = { index: [1, 1.5, 2, 3], share: [0.1, 0.2, 0.3, 0.4] };

  function colour(measure, value) {
    var edges = EDGES[measure];
    for (var i = 0; i < edges.length; i++) {
      if (value < edges[i]) return COLOURS[i];
    }
    return COLOURS[COLOURS.length - 1];
  }

  function number(value, digits) {
    return value.toLocaleString("sv-SE", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function figure(measure, row, texts) {
    if (row.tooFew || row.value === null) return texts.tooFew;
    var show = measure === "index"
      ? function (v) { return number(v, 2); }
      : function (v) { return number(100 * v, 0) + " %"; };
    var text = show(row.value);
    if (row.low !== null && row.high !== null) text += " (" + show(row.low) + "–" + show(row.high) + ")";
    return text;
  }

  function popup(area, item, row, texts) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = area.name;
    box.appendChild(title);
    var lines = [
      (item.measure === "index" ? texts.index : texts.share) + ": " + figure(item.measure, row, texts),
      texts.events + ": " + row.events + (row.rate === null ? " (" + texts.noResidents + ")" : ", " + number(row.rate, 2) + " " + texts.rate),
    ];
    if (row.verdict) lines.push(row.verdict);
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  function legend(element, item, texts) {
    var edges = EDGES[item.measure];
    var show = item.measure === "index"
      ? function (v) { return number(v, 1); }
      : function (v) { return number(100 * v, 0) + " %"; };
    var labels = COLOURS.map(function (_, i) {
      if (i === 0) return "< " + show(edges[0]);
      if (i === edges.length) return "≥ " + show(edges[i - 1]);
      return show(edges[i - 1]) + "–" + show(edges[i]);
    });
    element.textContent = "";
    var heading = document.createElement("p");
    heading.textContent = item.label + ": " + (item.measure === "index" ? texts.index : texts.share);
    element.appendChild(heading);
    var list = document.createElement("ul");
    COLOURS.concat([TOO_FEW]).forEach(function (fill, i) {
      var entry = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = fill;
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(i < labels.length ? labels[i] : texts.tooFew));
      list.appendChild(entry);
    });
    element.appendChild(list);
  }

  function draw(map, config, layer, code, legendElement) {
    var item = config.items.filter(function (i) { return i.code === code; })[0];
    if (!item) return layer;
    if (layer) map.removeLayer(layer);
    var features = config.areas.map(function (area) {
      return { type: "Feature", geometry: area.geometry, properties: { id: area.id, name: area.name } };
    });
    layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (feature) {
        var row = item.rows[String(feature.properties.id)];
        var fill = !row || row.tooFew || row.value === null ? TOO_FEW : colour(item.measure, row.value);
        return { color: "#1f3b5c", weight: 1.5, fillColor: fill, fillOpacity: 0.75 };
      },
      onEachFeature: function (feature, path) {
        var row = item.rows[String(feature.properties.id)];
        if (row) path.bindPopup(popup(feature.properties, item, row, config.texts));
        path.bindTooltip(feature.properties.name, { sticky: true });
      },
    }).addTo(map);
    legend(legendElement, item, config.texts);
    return layer;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var config = window.Trygg.readConfig("survey-map-config");
    var section = document.getElementById("survey-map-section");
    var element = document.getElementById("survey-map");
    var select = document.getElementById("survey-map-item");
    var legendElement = document.getElementById("survey-map-legend");
    if (!config || !section || !element || !select || !config.items.length) return;
    section.hidden = false;
    var base = window.Trygg.baseMap(element, config);
    base.ready.then(function (map) {
      var layer = draw(map, config, null, select.value, legendElement);
      if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false });
      select.addEventListener("change", function () {
        layer = draw(map, config, layer, select.value, legendElement);
      });
    });
  });
})();
