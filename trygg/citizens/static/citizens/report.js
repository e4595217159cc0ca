/* Trygg: the residents' report page and receipt. Everything here is a shortcut: the page works
   without it (typed coordinates, the municipality's places in a select, a "Kontrollera" step
   that lists reports nearby, the link selectable by hand). */
(function () {
  "use strict";

  /* --- receipt: copy the tracking link ------------------------------------------------- */

  var copyButton = document.getElementById("copy-link");
  var linkInput = document.getElementById("tracking-link");
  if (copyButton && linkInput && navigator.clipboard) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      navigator.clipboard.writeText(linkInput.value).then(function () {
        document.getElementById("copy-status").textContent = copyButton.dataset.copied;
      });
    });
  }

  var config = window.Trygg && Trygg.readConfig("report-config");
  if (!config) return;
  var texts = config.texts;
  var form = document.getElementById("resident-report");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var municipality = document.getElementById("id_kommun");
  var positionStatus = document.getElementById("position-status");
  var map = null;
  var marker = null;
  var nearbyRequest = null;

  function number(text) {
    var value = parseFloat(String(text).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function showMarker(latitude, longitude, zoom) {
    if (!map) return;
    if (marker) marker.setLatLng([latitude, longitude]);
    else marker = L.marker([latitude, longitude], { keyboard: false }).addTo(map);
    if (zoom) map.setView([latitude, longitude], zoom);
  }

  function setPosition(latitude, longitude, zoom) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    showMarker(latitude, longitude, zoom);
    loadNearby();
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
      function () { positionStatus.textContent = texts.noGeolocation; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
    );
  }

  /* --- named places: a search box over the municipality's places ------------------------ */

  function choosePlace(place) {
    var select = document.getElementById("id_place");
    if (select && select.tagName === "SELECT") {
      if (!select.querySelector('option[value="' + place.id + '"]')) {
        select.appendChild(new Option(place.name, String(place.id)));
      }
      select.value = String(place.id);
    } else {
      if (!select) {
        select = document.createElement("input");
        select.type = "hidden";
        select.name = "place";
        select.id = "id_place";
        form.appendChild(select);
      }
      select.value = String(place.id);
    }
    setPosition(place.lat, place.lon, 17);
    positionStatus.textContent = place.name;
  }

  function searchPlaces(query) {
    var status = document.getElementById("place-search-status");
    var results = document.getElementById("place-results");
    results.replaceChildren();
    if (!municipality.value || query.length < 2) {
      status.textContent = "";
      return;
    }
    var url = new URL(config.placesUrl, window.location.href);
    url.searchParams.set("kommun", municipality.value);
    url.searchParams.set("q", query);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        status.textContent = data.places.length ? "" : texts.placesNone;
        data.places.forEach(function (place) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link-button";
          button.textContent = place.name;
          button.addEventListener("click", function () { choosePlace(place); });
          item.appendChild(button);
          results.appendChild(item);
        });
      });
  }

  /* --- reports of the same kind nearby: asked when position and kind are chosen --------- */

  function chosenCategory() {
    var checked = form.querySelector('input[name="category"]:checked');
    return checked ? checked.value : "";
  }

  function loadNearby() {
    var category = chosenCategory();
    var latitude = number(lat.value);
    var longitude = number(lon.value);
    if (!category || latitude === null || longitude === null) return;
    if (nearbyRequest) nearbyRequest.abort();
    nearbyRequest = new AbortController();
    var url = new URL(config.nearbyUrl, window.location.href);
    url.searchParams.set("category", category);
    url.searchParams.set("lat", latitude.toFixed(6));
    url.searchParams.set("lon", longitude.toFixed(6));
    fetch(url, { signal: nearbyRequest.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { showNearby(data.reports); })
      .catch(function () {});
  }

  function showNearby(reports) {
    var section = document.getElementById("nearby");
    var list = document.getElementById("nearby-list");
    list.replaceChildren();
    reports.forEach(function (report) {
      var item = document.createElement("li");
      item.className = "nearby-report";
      var line = document.createElement("p");
      var kind = document.createElement("strong");
      kind.textContent = report.category;
      line.appendChild(kind);
      line.appendChild(document.createTextNode(", " + report.ago + ". " + report.status + "."));
      item.appendChild(line);
      if (report.text) {
        var text = document.createElement("p");
        text.textContent = report.text;
        item.appendChild(text);
      }
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "button button-secondary";
      button.formAction = report.me_too_url;
      button.formNoValidate = true;
      button.textContent = section.dataset.meToo;
      item.appendChild(button);
      list.appendChild(item);
    });
    document.getElementById("nearby-none").hidden = reports.length > 0;
    document.getElementById("nearby-advice").hidden = reports.length === 0;
    section.hidden = false;
  }

  /* --- start --------------------------------------------------------------------------- */

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
    var search = document.getElementById("place-search");
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { searchPlaces(search.value.trim()); }, 250);
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "category" || event.target === lat || event.target === lon) {
      loadNearby();
    }
  });

  /* --- photos: made smaller on the phone before they are sent (trygg/photos.js) ----------- */

  var photoInput = document.getElementById("id_photos");
  var photosReady = false;
  if (photoInput && window.Trygg.shrinkPhoto && window.DataTransfer && form.requestSubmit) {
    form.addEventListener("submit", function (event) {
      if (photosReady || !photoInput.files.length) return;
      event.preventDefault();
      var submitter = event.submitter; // "Kontrollera" or "Skicka rapport"
      var files = Array.prototype.slice.call(photoInput.files);
      Promise.all(files.map(function (file) {
        return Trygg.shrinkPhoto(file, config.photoSide, config.photoQuality).then(function (blob) {
          return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
        }).catch(function () {
          return file; // not an image the browser can read: the server says what is wrong
        });
      })).then(function (made) {
        var transfer = new DataTransfer();
        made.forEach(function (file) { transfer.items.add(file); });
        photoInput.files = transfer.files;
        photosReady = true;
        form.requestSubmit(submitter);
      });
    });
  }
})();
