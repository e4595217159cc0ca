/* Trygg: the reporting form. Everything here is a shortcut: the form works without it
   (categories in a select, typed latitude and longitude, places offered after a submit). */
(function () {
  "use strict";

  var config = Trygg.readConfig("report-config");
  if (!config) return;
  var texts = config.texts;

  /* --- category: a search box that narrows the grouped select -------------------------- */

  function fold(text) {
    return text.toLocaleLowerCase("sv").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setUpCategorySearch() {
    var select = document.getElementById("id_category");
    var search = document.getElementById("category-search");
    var count = document.getElementById("category-count");
    if (!select || !search) return;
    document.getElementById("category-search-wrap").hidden = false;
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });

    search.addEventListener("input", function () {
      var query = fold(search.value.trim());
      var chosen = select.value;
      var matches = [];
      select.replaceChildren();
      original.forEach(function (node) {
        if (node.tagName !== "OPTGROUP") {
          select.appendChild(node.cloneNode(true)); // "Välj kategori"
          return;
        }
        var groupMatches = fold(node.label).indexOf(query) !== -1;
        var group = node.cloneNode(false);
        Array.prototype.forEach.call(node.children, function (option) {
          if (!query || groupMatches || fold(option.textContent).indexOf(query) !== -1) {
            var copy = option.cloneNode(true);
            group.appendChild(copy);
            matches.push(copy);
          }
        });
        if (group.children.length) select.appendChild(group);
      });
      var keep = matches.filter(function (option) { return option.value === chosen; })[0];
      if (matches.length === 1) matches[0].selected = true;
      else if (keep) keep.selected = true;
      else select.selectedIndex = 0;
      count.textContent = query
        ? Trygg.format(matches.length === 1 ? texts.oneMatch : texts.matches, { n: matches.length })
        : "";
    });
  }

  /* --- position: map tap, device location or typed numbers ------------------------------ */

  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var positionStatus = document.getElementById("position-status");
  var placeStatus = document.getElementById("place-status");
  var placeOptions = document.getElementById("place-options");
  var map = null;
  var marker = null;
  var placesRequest = null;

  function number(value) {
    var parsed = parseFloat(String(value).replace(",", "."));
    return isFinite(parsed) ? parsed : null;
  }

  function showMarker(latitude, longitude, zoom) {
    if (!map) return;
    var latlng = [latitude, longitude];
    if (!marker) {
      marker = L.circleMarker(latlng, {
        radius: 10,
        color: "#ffffff",
        weight: 3,
        fillColor: "#b3261e",
        fillOpacity: 1,
        interactive: false,
      }).addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
    if (zoom) map.setView(latlng, zoom);
  }

  function setPosition(latitude, longitude, zoom) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    showMarker(latitude, longitude, zoom);
    loadPlaces(latitude, longitude);
  }

  function typedPosition() {
    var latitude = number(lat.value);
    var longitude = number(lon.value);
    if (latitude === null || longitude === null) return;
    showMarker(latitude, longitude, map ? Math.max(map.getZoom(), 15) : null);
    loadPlaces(latitude, longitude);
  }

  function locate() {
    if (!("geolocation" in navigator) || !window.isSecureContext) {
      positionStatus.textContent = texts.noGeolocation;
      return;
    }
    positionStatus.textContent = texts.locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var c = position.coords;
        setPosition(c.latitude, c.longitude, 17);
        positionStatus.textContent = Trygg.format(texts.located, {
          accuracy: Math.round(c.accuracy),
        });
      },
      function (error) {
        positionStatus.textContent =
          error.code === error.PERMISSION_DENIED ? texts.geolocationDenied : texts.geolocationFailed;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
    );
  }

  /* --- nearest named places: radio buttons, "no particular place" first ----------------- */

  function loadPlaces(latitude, longitude) {
    if (placesRequest) placesRequest.abort();
    placesRequest = new AbortController();
    var url = new URL(config.placesUrl, window.location.href);
    url.searchParams.set("lat", latitude.toFixed(6));
    url.searchParams.set("lon", longitude.toFixed(6));
    fetch(url, { signal: placesRequest.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { showPlaces(data.places); })
      .catch(function (error) {
        if (error.name !== "AbortError") placeStatus.textContent = texts.placesFailed;
      });
  }

  function radio(id, value, label, checked) {
    var wrap = document.createElement("div");
    wrap.className = "radio";
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "place";
    input.id = id;
    input.value = value;
    input.checked = checked;
    var text = document.createElement("label");
    text.htmlFor = id;
    text.textContent = label;
    wrap.appendChild(input);
    wrap.appendChild(text);
    return wrap;
  }

  function showPlaces(places) {
    var checked = placeOptions.querySelector("input:checked");
    var previous = checked ? checked.value : "";
    var stillThere = places.some(function (place) { return String(place.id) === previous; });
    placeOptions.replaceChildren();
    if (!places.length) {
      placeStatus.textContent = texts.noPlaces;
      return;
    }
    placeOptions.appendChild(radio("id_place_none", "", texts.noPlace, !stillThere));
    places.forEach(function (place) {
      placeOptions.appendChild(
        radio("id_place_" + place.id, String(place.id), place.label, String(place.id) === previous)
      );
    });
    placeStatus.textContent = Trygg.format(
      places.length === 1 ? texts.onePlace : texts.places,
      { n: places.length }
    );
  }

  /* --- start --------------------------------------------------------------------------- */

  setUpCategorySearch();
  var tools = document.getElementById("position-tools");
  var mapElement = document.getElementById("report-map");
  if (tools && mapElement && window.L) {
    tools.hidden = false;
    var base = Trygg.baseMap(mapElement, config);
    map = base.map;
    map.on("click", function (event) {
      setPosition(event.latlng.lat, event.latlng.lng, null);
      positionStatus.textContent = texts.chosen;
    });
    base.ready.then(function () {
      var latitude = number(lat.value);
      var longitude = number(lon.value);
      if (latitude !== null && longitude !== null) showMarker(latitude, longitude, 16);
    });
    document.getElementById("locate").addEventListener("click", locate);
  }
  lat.addEventListener("change", typedPosition);
  lon.addEventListener("change", typedPosition);
})();
