/* Trygg: a Leaflet map whose base layer is our own boundaries (works on a closed intranet).
   Tiles are added only when the installation names a tile server (config.tilesUrl). */
(function () {
  "use strict";

  var SWEDEN = [62.0, 15.0];
  var LABEL_ZOOM = 12;

  function baseMap(element, config) {
    var map = L.map(element, { zoomSnap: 1, maxZoom: 18, attributionControl: false, zoomControl: false });
    // Leaflet's own buttons say "Zoom in" whatever the page's language.
    var english = (document.documentElement.lang || "sv").indexOf("en") === 0;
    L.control.zoom({
      zoomInTitle: english ? "Zoom in" : "Zooma in",
      zoomOutTitle: english ? "Zoom out" : "Zooma ut",
    }).addTo(map);
    if (config.tilesUrl) {
      L.tileLayer(config.tilesUrl, { maxZoom: 19, attribution: config.tilesAttribution || "" }).addTo(map);
      if (config.tilesAttribution) {
        L.control.attribution({ prefix: false }).addTo(map);
      }
    } else {
      element.classList.add("map-no-tiles");
    }
    map.setView(SWEDEN, 5);
    // District names sit under the event markers, not on top of them.
    map.createPane("labels").style.zIndex = 450;
    map.getPane("labels").style.pointerEvents = "none";

    function toggleLabels() {
      element.classList.toggle("show-area-labels", map.getZoom() >= LABEL_ZOOM);
    }
    map.on("zoomend", toggleLabels);

    var ready = fetch(config.boundariesUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (geojson) {
        var outline = L.geoJSON(geojson, {
          filter: function (feature) { return feature.properties.kind === "municipality"; },
          interactive: false,
          style: {
            color: "#1f3b5c",
            weight: 2,
            fill: !config.tilesUrl,
            fillColor: "#ffffff",
            fillOpacity: 1,
          },
        }).addTo(map);
        var areas = L.geoJSON(geojson, {
          filter: function (feature) { return feature.properties.kind === "area"; },
          interactive: false,
          style: { color: "#4d5660", weight: 1.5, dashArray: "5 4", fill: false },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(feature.properties.name, {
              permanent: true,
              direction: "center",
              className: "area-label",
              pane: "labels",
            });
          },
        }).addTo(map);
        // The reporting form starts on the districts (the town), the event map on the whole
        // municipality (police events can lie anywhere in it).
        var preferAreas = config.fitTo === "areas" && areas.getLayers().length;
        var bounds = preferAreas || !outline.getLayers().length ? areas.getBounds() : outline.getBounds();
        // A list filtered to one district opens on that district.
        areas.eachLayer(function (layer) {
          if (config.fitArea && layer.feature.properties.id === config.fitArea) {
            bounds = layer.getBounds();
          }
        });
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], animate: false });
        toggleLabels();
        return map;
      })
      .catch(function () {
        toggleLabels();
        return map;
      });

    return { map: map, ready: ready };
  }

  /* Read-only map with one position (the detail page). */
  function pointMap(element, config) {
    var base = baseMap(element, config);
    base.ready.then(function (map) {
      var latlng = [config.lat, config.lon];
      L.circle(latlng, {
        radius: Math.max(config.precision || 25, 10),
        color: "#1d5aa6",
        weight: 2,
        fillOpacity: 0.15,
        interactive: false,
      }).addTo(map);
      L.circleMarker(latlng, {
        radius: 8,
        color: "#ffffff",
        weight: 3,
        fillColor: "#1d5aa6",
        fillOpacity: 1,
        interactive: false,
      }).addTo(map);
      map.setView(latlng, config.precision > 1000 ? 11 : 16);
    });
    return base;
  }

  function readConfig(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* "{n} händelser" with values filled in. */
  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  window.Trygg = window.Trygg || {};
  window.Trygg.baseMap = baseMap;
  window.Trygg.pointMap = pointMap;
  window.Trygg.readConfig = readConfig;
  window.Trygg.format = format;

  document.addEventListener("DOMContentLoaded", function () {
    var detail = readConfig("point-map-config");
    var element = document.getElementById("point-map");
    if (detail && element) {
      element.hidden = false;
      pointMap(element, detail);
    }
  });
})();
