/* Trygg: planning a walk. Everything here is a shortcut: the pages work without it (dates
   typed, stops chosen from a list or typed as latitude and longitude).
   - the planning form: an empty walk or follow-up date is filled with the suggestion;
   - the walk's page: the route, the numbered stops and the findings on a map;
   - the route page: a click draws the route (kept as GeoJSON in a hidden input) or places
     the next empty stop of the list, and the markers follow what the list says. */
(function () {
  "use strict";

  var STOP_COLOUR = "#1d5aa6";
  var ROUTE_COLOUR = "#b3261e";
  var FINDING_COLOUR = "#6b3fa0";

  function readConfig(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function number(value) {
    var parsed = parseFloat(String(value || "").replace(",", ".").replace("\u2212", "-"));
    return isFinite(parsed) ? parsed : null;
  }

  /* --- the planning form: suggested dates ------------------------------------------------ */

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function localValue(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function addDays(value, days) {
    var date = new Date(value);
    if (isNaN(date.getTime())) return null;
    date.setDate(date.getDate() + days);
    return localValue(date);
  }

  function setUpDates(config) {
    var premeeting = document.getElementById("id_premeeting_at");
    var walk = document.getElementById("id_walk_at");
    var followup = document.getElementById("id_followup_at");
    var status = document.getElementById("meetings-status");
    if (!premeeting || !walk || !followup) return;

    function fill() {
      var filled = [];
      if (!walk.value && premeeting.value) {
        var walkValue = addDays(premeeting.value, config.gapDays);
        if (walkValue) { walk.value = walkValue; filled.push(walk.labels[0].textContent); }
      }
      if (!followup.value && walk.value) {
        var followValue = addDays(walk.value, config.gapDays);
        if (followValue) { followup.value = followValue; filled.push(followup.labels[0].textContent); }
      }
      if (filled.length && status) {
        status.textContent = format(config.texts.filled, { fields: filled.join(", ") });
      }
    }
    premeeting.addEventListener("change", fill);
    walk.addEventListener("change", fill);
  }

  /* --- drawing ------------------------------------------------------------------------- */

  // Styled through the DOM, not a style attribute: the Content-Security-Policy allows no inline
  // style, and these pages have no style sheet of the walks' own.
  var STOP_STYLE = {
    display: "block", width: "26px", height: "26px", lineHeight: "22px", borderRadius: "50%",
    border: "2px solid #fff", background: STOP_COLOUR, color: "#fff", fontWeight: "700",
    textAlign: "center", fontSize: "13px", boxShadow: "0 0 0 1px " + STOP_COLOUR,
  };

  function stopIcon(n) {
    var span = document.createElement("span");
    Object.keys(STOP_STYLE).forEach(function (name) { span.style[name] = STOP_STYLE[name]; });
    span.textContent = String(n);
    return L.divIcon({ className: "walk-stop-icon", html: span, iconSize: [26, 26], iconAnchor: [13, 13] });
  }

  function Layers(map, texts) {
    this.map = map;
    this.texts = texts;
    // Above the base map's filled municipality outline (added later, in the overlay pane).
    map.createPane("walk").style.zIndex = 440;
    this.line = L.polyline([], {
      color: ROUTE_COLOUR, weight: 4, opacity: 0.85, pane: "walk", interactive: false,
    }).addTo(map);
    this.stops = L.layerGroup().addTo(map);
    this.findings = L.layerGroup().addTo(map);
  }

  Layers.prototype.setRoute = function (latlngs) {
    this.line.setLatLngs(latlngs);
  };

  Layers.prototype.setStops = function (stops) {
    var texts = this.texts;
    this.stops.clearLayers();
    stops.forEach(function (stop) {
      L.marker([stop.lat, stop.lon], {
        icon: stopIcon(stop.order),
        keyboard: false,
        title: format(texts.stop, { n: stop.order, name: stop.name || "" }),
      }).addTo(this.stops);
    }, this);
  };

  Layers.prototype.setFindings = function (findings) {
    var texts = this.texts;
    this.findings.clearLayers();
    (findings || []).forEach(function (finding) {
      L.circleMarker([finding.lat, finding.lon], {
        pane: "walk",
        radius: 6,
        color: "#ffffff",
        weight: 2,
        fillColor: FINDING_COLOUR,
        fillOpacity: 1,
      }).bindTooltip(format(texts.finding, { n: finding.number })).addTo(this.findings);
    }, this);
  };

  Layers.prototype.fit = function () {
    var bounds = L.latLngBounds([]);
    if (this.line.getLatLngs().length) bounds.extend(this.line.getBounds());
    this.stops.eachLayer(function (marker) { bounds.extend(marker.getLatLng()); });
    this.findings.eachLayer(function (marker) { bounds.extend(marker.getLatLng()); });
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17, animate: false });
  };

  function routeLatLngs(route) {
    if (!route || route.type !== "LineString") return [];
    return route.coordinates.map(function (point) { return [point[1], point[0]]; });
  }

  /* --- the walk's page: read only ------------------------------------------------------- */

  function showWalk(element, config) {
    var base = Trygg.baseMap(element, config);
    var layers = new Layers(base.map, config.texts);
    layers.setRoute(routeLatLngs(config.route));
    layers.setStops(config.stops);
    layers.setFindings(config.findings);
    base.ready.then(function () { layers.fit(); });
  }

  /* --- the route page: editing ----------------------------------------------------------- */

  function StopList(container, template, places) {
    this.container = container;
    this.template = template;
    this.places = places || {};
    var prefix = template.innerHTML.match(/name="([\w-]+)-__prefix__-/);
    this.prefix = prefix ? prefix[1] : "stopp";
    this.total = document.getElementById("id_" + this.prefix + "-TOTAL_FORMS");
    this.max = document.getElementById("id_" + this.prefix + "-MAX_NUM_FORMS");
  }

  StopList.prototype.rows = function () {
    return Array.prototype.slice.call(this.container.querySelectorAll("[data-stop-row]"));
  };

  StopList.prototype.field = function (row, name) {
    return row.querySelector('[name$="-' + name + '"]');
  };

  StopList.prototype.isEmpty = function (row) {
    var list = this;
    return ["name", "place", "lat", "lon"].every(function (name) {
      var input = list.field(row, name);
      return !input || !input.value;
    });
  };

  /* The stops as the server will number them: by the number typed, else by their row. */
  StopList.prototype.stops = function () {
    var list = this;
    var found = [];
    this.rows().forEach(function (row, index) {
      var remove = list.field(row, "DELETE");
      if ((remove && remove.checked) || list.isEmpty(row)) return;
      var lat = number(list.field(row, "lat").value);
      var lon = number(list.field(row, "lon").value);
      var place = list.field(row, "place");
      if ((lat === null || lon === null) && place && list.places[place.value]) {
        lat = list.places[place.value][0];
        lon = list.places[place.value][1];
      }
      if (lat === null || lon === null) return;
      var typed = number(list.field(row, "ORDER").value);
      var name = list.field(row, "name").value ||
        (place && place.selectedIndex > 0 ? place.options[place.selectedIndex].text : "");
      found.push({
        rank: typed === null ? index + 1 : typed, index: index, row: row, lat: lat, lon: lon, name: name,
      });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.index - b.index; });
    found.forEach(function (stop, i) { stop.order = i + 1; });
    return found;
  };

  /* The first empty row, or a new one while the formset allows more. */
  StopList.prototype.emptyRow = function () {
    var list = this;
    var empty = this.rows().filter(function (row) { return list.isEmpty(row); })[0];
    if (empty) return empty;
    var count = parseInt(this.total.value, 10);
    if (this.max && count >= parseInt(this.max.value, 10)) return null;
    var holder = document.createElement("div");
    holder.innerHTML = this.template.innerHTML.replace(/__prefix__/g, String(count));
    var row = holder.firstElementChild;
    this.container.appendChild(row);
    this.total.value = String(count + 1);
    return row;
  };

  function editRoute(element, config) {
    var hidden = document.getElementById("id_route");
    var status = document.getElementById("walk-map-status");
    var list = new StopList(
      document.getElementById("stop-rows"),
      document.getElementById("stop-row-template"),
      config.places
    );
    var base = Trygg.baseMap(element, config);
    var layers = new Layers(base.map, config.texts);
    var points = routeLatLngs(config.route);
    var texts = config.texts;

    function say(text) { if (status) status.textContent = text; }

    function saveRoute() {
      hidden.value = points.length >= 2
        ? JSON.stringify({
          type: "LineString",
          coordinates: points.map(function (p) {
            return [Number(p[1].toFixed(6)), Number(p[0].toFixed(6))];
          }),
        })
        : "";
      layers.setRoute(points);
    }

    function redrawStops() { layers.setStops(list.stops()); }

    function mode() {
      var chosen = document.querySelector('input[name="map-mode"]:checked');
      return chosen ? chosen.value : "route";
    }

    base.map.on("click", function (event) {
      var lat = event.latlng.lat;
      var lon = event.latlng.lng;
      if (mode() === "route") {
        if (points.length >= config.maxRoutePoints) {
          say(format(texts.tooMany, { max: config.maxRoutePoints }));
          return;
        }
        points.push([lat, lon]);
        saveRoute();
        say(format(texts.pointAdded, { n: points.length }));
        return;
      }
      var row = list.emptyRow();
      if (!row) { say(texts.noRows); return; }
      list.field(row, "lat").value = lat.toFixed(6);
      list.field(row, "lon").value = lon.toFixed(6);
      redrawStops();
      var order = list.stops().filter(function (stop) { return stop.row === row; })[0];
      say(format(texts.stopAdded, { n: order ? order.order : "" }));
      list.field(row, "name").focus();
    });

    document.getElementById("route-undo").addEventListener("click", function () {
      points.pop();
      saveRoute();
      say(points.length ? format(texts.routePoints, { n: points.length }) : texts.noRoute);
    });
    document.getElementById("route-clear").addEventListener("click", function () {
      points = [];
      saveRoute();
      say(texts.noRoute);
    });
    list.container.addEventListener("input", redrawStops);
    list.container.addEventListener("change", redrawStops);

    layers.setRoute(points);
    redrawStops();
    say(points.length ? format(texts.routePoints, { n: points.length }) : texts.noRoute);
    base.ready.then(function () { layers.fit(); });
  }

  /* --- start --------------------------------------------------------------------------- */

  document.addEventListener("DOMContentLoaded", function () {
    var dates = readConfig("walk-dates-config");
    if (dates) setUpDates(dates);

    var config = readConfig("walk-map-config");
    var element = document.getElementById("walk-map");
    if (!config || !element || !window.L || !window.Trygg) return;
    var tools = document.getElementById("route-tools");
    element.hidden = false;
    if (tools) {
      tools.hidden = false;
      editRoute(element, config);
    } else {
      showWalk(element, config);
    }
  });
})();
