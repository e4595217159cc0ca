/* Trygg: the event map. The server aggregates; this file only draws what it gets back:
   grid cells as circles sized by count (with the count as label), or, close up, single events. */
(function () {
  "use strict";

  var config = Trygg.readConfig("map-config");
  var element = document.getElementById("event-map");
  var status = document.getElementById("map-status");
  if (!config || !element) return;

  var texts = config.texts;
  var base = Trygg.baseMap(element, config);
  var map = base.map;
  var layer = L.layerGroup().addTo(map);
  var controller = null;
  var timer = null;

  function number(n) {
    return n.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "sv-SE");
  }

  function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    var url = new URL(config.dataUrl, window.location.href);
    url.searchParams.set("bbox", map.getBounds().toBBoxString());
    url.searchParams.set("zoom", String(map.getZoom()));
    status.textContent = texts.loading;
    fetch(url, {
      signal: controller.signal,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
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
    if (data.mode === "points") {
      data.points.forEach(addPoint);
      status.textContent = data.total
        ? Trygg.format(texts.points, { total: number(data.total) })
        : texts.empty;
    } else {
      data.cells.forEach(addCell);
      status.textContent = data.total
        ? Trygg.format(texts.cells, {
            total: number(data.total),
            cells: number(data.cells.length),
            size: number(data.cell_m),
          })
        : texts.empty;
    }
  }

  // The circle sized through the DOM, not a style attribute: the Content-Security-Policy allows
  // no inline style.
  function cluster(size, label) {
    var span = document.createElement("span");
    span.className = "cluster";
    span.style.width = span.style.height = size + "px";
    span.style.lineHeight = size - 4 + "px";
    span.textContent = label;
    return span;
  }

  function addCell(cell) {
    var size = Math.round(28 + 10 * Math.log10(cell.n));
    var label = number(cell.n);
    var icon = L.divIcon({ className: "cluster-icon", html: cluster(size, label), iconSize: [size, size] });
    var marker = L.marker([cell.lat, cell.lon], {
      icon: icon,
      title: Trygg.format(texts.cellTitle, { n: label }),
      alt: Trygg.format(texts.cellTitle, { n: label }),
      keyboard: true,
      riseOnHover: true,
    });
    marker.on("click", function () {
      map.setView([cell.lat, cell.lon], Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
    layer.addLayer(marker);
  }

  function addPoint(point) {
    var icon = L.divIcon({
      className: "point-icon",
      html: '<span class="point' + (point.generated ? " point-demo" : "") + '"></span>',
      iconSize: [18, 18],
    });
    var marker = L.marker([point.lat, point.lon], {
      icon: icon,
      title: point.category + ", " + point.time,
      keyboard: true,
    });
    marker.bindPopup(function () { return popup(point); });
    layer.addLayer(marker);
  }

  /* Built from DOM nodes: names come from the database and are never parsed as HTML. */
  function popup(point) {
    var box = document.createElement("div");
    function line(text, tag) {
      var node = document.createElement(tag || "p");
      node.textContent = text;
      box.appendChild(node);
      return node;
    }
    line(point.category, "strong");
    line(point.time);
    if (point.place) line(point.place);
    var source = line(texts.source + ": " + point.source);
    if (point.generated) {
      var badge = document.createElement("span");
      badge.className = "badge badge-demo";
      badge.textContent = texts.generated;
      source.textContent = texts.source + ": ";
      source.appendChild(badge);
    }
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = texts.open;
    line("").appendChild(link);
    return box;
  }

  /* The view is kept in the address (#zoom/lat/lon), so a shared link opens the same view. */
  function viewFromHash() {
    var parts = window.location.hash.replace("#", "").split("/").map(Number);
    if (parts.length !== 3 || !parts.every(isFinite)) return false;
    map.setView([parts[1], parts[2]], parts[0]);
    return true;
  }

  function viewToHash() {
    var centre = map.getCenter();
    var hash = "#" + map.getZoom() + "/" + centre.lat.toFixed(5) + "/" + centre.lng.toFixed(5);
    window.history.replaceState(null, "", hash);
  }

  /* The situation page adds Gi* hot and cold spots under the counts, fetched once. */
  function loadHotspots() {
    var legend = document.getElementById("hotspot-status");
    fetch(config.hotspotsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (geojson) {
        var hot = L.geoJSON(geojson, {
          interactive: false,
          style: function (feature) {
            var isHot = feature.properties["class"] === "hot";
            return {
              stroke: false,
              fillColor: isHot ? "#b3261e" : "#1d5aa6",
              fillOpacity: isHot ? 0.55 : 0.35,
            };
          },
        }).addTo(map);
        hot.bringToBack();
        if (legend) legend.textContent = geojson.summary || "";
      })
      .catch(function () {
        if (legend) legend.textContent = texts.hotspotsError || texts.error;
      });
  }

  base.ready.then(function () {
    viewFromHash();
    if (config.hotspotsUrl) loadHotspots();
    map.on("moveend", function () {
      viewToHash();
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 200);
    });
    load();
  });
})();
