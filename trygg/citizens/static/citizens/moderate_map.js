/* Trygg: the map on a report's moderation page. It shows the report's exact position (the page
   is for moderators only) and, while the report can be corrected, a tap on it fills in the
   correction form's latitude and longitude: a shortcut to the same fields, which work without
   it. Nothing is saved until the moderator sends the form. */
(function () {
  "use strict";

  var config = window.Trygg && Trygg.readConfig("moderate-map-config");
  var section = document.getElementById("moderate-map-section");
  var element = document.getElementById("moderate-map");
  var status = document.getElementById("moderate-map-status");
  if (!config || !element || !window.L) return;

  section.hidden = false;
  var texts = config.texts;
  // The detail page's own read-only map, drawn once the outlines are in (so it lies on top).
  var base = Trygg.pointMap(element, config);
  var map = base.map;
  var chosen = null;

  var latField = document.getElementById(config.latField);
  var lonField = document.getElementById(config.lonField);
  if (!latField || !lonField) return; // closed or merged: nothing to correct

  map.on("click", function (event) {
    var lat = event.latlng.lat.toFixed(6);
    var lon = event.latlng.lng.toFixed(6);
    latField.value = lat;
    lonField.value = lon;
    if (chosen) chosen.setLatLng(event.latlng);
    else chosen = L.marker(event.latlng, { title: texts["new"], keyboard: false }).addTo(map);
    status.textContent = Trygg.format(texts.chosen, { lat: lat, lon: lon });
  });
})();
