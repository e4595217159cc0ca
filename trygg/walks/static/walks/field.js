/* Trygg: the walk in the field. Findings are kept on the phone (IndexedDB) until the server
   has them, and sent by themselves whenever the network is there: on load, when the phone
   comes back online, and every half minute. Each finding has an id made here, so sending it
   again never stores it twice. A finding the server refuses stays on the phone with the
   server's reasons, to be corrected; it never holds up the others. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("field-config").textContent);
  var text = JSON.parse(document.getElementById("field-text").textContent);
  var DB_NAME = "trygg-field";
  var STORE = "findings";
  var RETRY_MS = 30000;
  var PHOTO_SIDE = 1600;
  var PHOTO_QUALITY = 0.8;
  var SKEW_KEY = "trygg-field-clock-skew";

  var data = null; // the walk's data: route, stops, items, categories, boundaries
  var csrfToken = null;
  var sending = false;
  var editingId = null; // the refused finding being corrected
  var photos = []; // the form's photos: Blobs already made smaller
  var position = null; // {lat, lon, how}
  var map = null;
  var positionMarker = null;

  function $(id) { return document.getElementById(id); }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  /* --- ids made on the device ------------------------------------------------------------ */

  function newId() {
    if (window.crypto && typeof crypto.randomUUID === "function") {
      try { return crypto.randomUUID(); } catch (e) { /* not a secure context */ }
    }
    // RFC 4122 version 4 from random bytes: randomUUID is missing on plain http.
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  /* --- the findings kept on the device ---------------------------------------------------- */

  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "id" });
          store.createIndex("walk", "walkId");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && result.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function allFindings() {
    return withStore("readonly", function (store) {
      return store.index("walk").getAll(config.walkId);
    }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  function putFinding(finding) {
    return withStore("readwrite", function (store) { return store.put(finding); });
  }

  function removeFinding(id) {
    return withStore("readwrite", function (store) { return store.delete(id); });
  }

  /* --- the walk's data and the clock -------------------------------------------------------- */

  function loadData() {
    return fetch(config.urls.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        var kept = response.headers.get("X-Trygg-Kept") === "1";
        return response.json().then(function (body) {
          data = body;
          csrfToken = body.csrfToken;
          if (!kept) {
            // The phone's clock may be off: remember by how much, while the answer is fresh.
            var skew = Date.parse(body.serverTime) - Date.now();
            try { localStorage.setItem(SKEW_KEY, String(skew)); } catch (e) { /* private mode */ }
          }
          return body;
        });
      });
  }

  function now() {
    var skew = 0;
    try { skew = Number(localStorage.getItem(SKEW_KEY)) || 0; } catch (e) { /* private mode */ }
    return new Date(Date.now() + skew);
  }

  function csrf() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + config.csrfCookie + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : csrfToken;
  }

  /* --- the map: vectors on a plain background, tiles only when online ---------------------- */

  function drawMap() {
    var element = $("field-map");
    map = L.map(element, { zoomSnap: 1, maxZoom: 19, attributionControl: false, zoomControl: false });
    L.control.zoom({ zoomInTitle: "Zooma in", zoomOutTitle: "Zooma ut" }).addTo(map);
    if (config.tilesUrl && navigator.onLine) {
      L.tileLayer(config.tilesUrl, { maxZoom: 19 }).addTo(map);
    } else {
      element.classList.add("map-no-tiles");
    }
    // The boundaries first: the route and the stops are drawn over their white fill.
    L.geoJSON(data.boundaries, {
      interactive: false,
      style: function (feature) {
        return feature.properties.kind === "municipality"
          ? { color: "#1f3b5c", weight: 2, fill: !config.tilesUrl, fillColor: "#ffffff", fillOpacity: 1 }
          : { color: "#4d5660", weight: 2, dashArray: "6 4", fill: false };
      },
    }).addTo(map);
    var layers = L.featureGroup().addTo(map);
    if (data.route) {
      L.geoJSON(data.route, { interactive: false, style: { color: "#1d5aa6", weight: 5, opacity: 0.8 } })
        .addTo(layers);
    }
    data.stops.forEach(function (stop) {
      L.circleMarker([stop.lat, stop.lon], {
        radius: 11, color: "#ffffff", weight: 3, fillColor: "#1f3b5c", fillOpacity: 1, interactive: false,
      }).bindTooltip(String(stop.number), { permanent: true, direction: "center", className: "field-stop-label" })
        .addTo(layers);
    });
    var area = data.boundaries.features.filter(function (f) { return f.properties.kind === "area"; });
    var bounds = layers.getLayers().length ? layers.getBounds() : L.geoJSON(area.length ? area : data.boundaries).getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17, animate: false });
    } else {
      map.setView([62.0, 15.0], 5);
    }
    map.on("click", function (event) {
      setPosition(event.latlng.lat, event.latlng.lng, text.tapped);
    });
  }

  function setPosition(lat, lon, message) {
    position = { lat: lat, lon: lon };
    $("field-lat").value = lat.toFixed(6);
    $("field-lon").value = lon.toFixed(6);
    $("field-position-status").textContent = message;
    if (!map) return;
    if (positionMarker) {
      positionMarker.setLatLng([lat, lon]);
    } else {
      positionMarker = L.circleMarker([lat, lon], {
        radius: 10, color: "#ffffff", weight: 3, fillColor: "#b3261e", fillOpacity: 1, interactive: false,
      }).addTo(map);
    }
  }

  function locate() {
    if (!navigator.geolocation) {
      $("field-position-status").textContent = text.noGps;
      return;
    }
    $("field-position-status").textContent = text.locating;
    navigator.geolocation.getCurrentPosition(function (found) {
      var c = found.coords;
      setPosition(c.latitude, c.longitude, format(text.located, { n: Math.round(c.accuracy) }));
      if (map) map.setView([c.latitude, c.longitude], Math.max(map.getZoom(), 17));
    }, function () {
      $("field-position-status").textContent = text.noGps;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
  }

  /* --- photos, made smaller on the device (trygg/photos.js) ---------------------------- */

  function addPhotos(files) {
    var errors = [];
    var work = Array.prototype.map.call(files, function (file) {
      return Trygg.shrinkPhoto(file, PHOTO_SIDE, PHOTO_QUALITY).then(function (blob) {
        photos.push(blob);
      }).catch(function () {
        errors.push(format(text.notAnImage, { item: file.name }));
      });
    });
    return Promise.all(work).then(function () {
      if (photos.length > config.maxPhotos) {
        photos = photos.slice(0, config.maxPhotos);
        errors.push(format(text.tooManyPhotos, { n: config.maxPhotos }));
      }
      $("field-photos").value = "";
      renderPhotos();
      showErrors(errors);
    });
  }

  function renderPhotos() {
    var list = $("field-photo-list");
    list.textContent = "";
    photos.forEach(function (blob, index) {
      var li = document.createElement("li");
      var img = document.createElement("img");
      img.src = URL.createObjectURL(blob);
      img.alt = "";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary";
      button.textContent = format(text.removePhoto, { n: index + 1 });
      button.addEventListener("click", function () {
        photos.splice(index, 1);
        renderPhotos();
      });
      li.appendChild(img);
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  /* --- the form ------------------------------------------------------------------------- */

  function itemBoxes() {
    return Array.prototype.slice.call(document.querySelectorAll("#field-items input[name=item]"));
  }

  function readForm() {
    var errors = [];
    var scores = [];
    itemBoxes().forEach(function (box) {
      if (!box.checked) return;
      var score = null;
      if (config.scaleMax !== null) {
        var picked = document.querySelector("input[name='score-" + box.value + "']:checked");
        if (!picked) {
          errors.push({ target: "score-" + box.value, message: format(text.needScore, { item: box.labels[0].textContent }) });
        } else {
          score = Number(picked.value);
        }
      }
      scores.push({ item: box.value, score: score });
    });
    if (!position) errors.unshift({ target: "field-map", message: text.needPosition });
    if (!scores.length) errors.push({ target: "field-items", message: text.needItem });
    var category = $("field-category").value;
    if (!category) errors.push({ target: "field-category", message: text.needCategory });
    var stop = $("field-stop") ? $("field-stop").value : "";
    return {
      errors: errors,
      fields: {
        lat: position && position.lat,
        lon: position && position.lon,
        category: category,
        note: $("field-note").value.trim(),
        scores: scores,
        stop: stop ? Number(stop) : null,
      },
    };
  }

  function showErrors(errors) {
    var box = $("field-errors");
    var list = $("field-errors-list");
    list.textContent = "";
    errors.forEach(function (error) {
      var li = document.createElement("li");
      if (error.target) {
        var link = document.createElement("a");
        link.href = "#" + error.target;
        link.textContent = error.message;
        li.appendChild(link);
      } else {
        li.textContent = error.message || error;
      }
      list.appendChild(li);
    });
    box.hidden = !errors.length;
    if (errors.length) box.focus();
  }

  function resetForm() {
    $("field-form").reset();
    itemBoxes().forEach(toggleScore);
    photos = [];
    renderPhotos();
    editingId = null;
    $("field-editing").hidden = true;
    $("field-cancel").hidden = true;
    // The next finding is usually a few steps on: keep the position as a starting point.
  }

  function toggleScore(box) {
    var scores = $("score-" + box.value);
    if (scores) scores.disabled = !box.checked;
  }

  function save(event) {
    event.preventDefault();
    var read = readForm();
    showErrors(read.errors);
    if (read.errors.length) return;
    var id = editingId || newId();
    var finding = {
      id: id,
      walkId: config.walkId,
      createdAt: Date.now(),
      state: "waiting",
      errors: [],
      fields: Object.assign({ client_id: id, captured_at: now().toISOString() }, read.fields),
      photos: photos.slice(),
    };
    var done = editingId ? keepCapturedAt(finding) : Promise.resolve(finding);
    done.then(putFinding).then(function () {
      resetForm();
      $("field-saved").textContent = text.saved;
      return render();
    }).then(sendAll).catch(function () {
      showErrors([text.noStorage]);
    });
  }

  function keepCapturedAt(finding) {
    // A correction keeps the moment the finding was made.
    return allFindings().then(function (rows) {
      var old = rows.filter(function (row) { return row.id === finding.id; })[0];
      if (old) {
        finding.fields.captured_at = old.fields.captured_at;
        finding.createdAt = old.createdAt;
      }
      return finding;
    });
  }

  function correct(finding) {
    resetForm();
    editingId = finding.id;
    var f = finding.fields;
    setPosition(f.lat, f.lon, text.tapped);
    $("field-category").value = f.category;
    $("field-note").value = f.note;
    if ($("field-stop")) $("field-stop").value = f.stop === null ? "" : String(f.stop);
    f.scores.forEach(function (score) {
      var box = $("item-" + score.item);
      if (!box) return;
      box.checked = true;
      toggleScore(box);
      var radio = $("score-" + score.item + "-" + score.score);
      if (radio) radio.checked = true;
    });
    photos = finding.photos.slice();
    renderPhotos();
    $("field-editing").hidden = false;
    $("field-cancel").hidden = false;
    $("field-form-title").focus();
    $("field-form").scrollIntoView();
  }

  /* --- sending ---------------------------------------------------------------------------- */

  function body(finding) {
    var form = new FormData();
    form.append("finding", JSON.stringify(finding.fields));
    finding.photos.forEach(function (blob, index) {
      form.append("photos", blob, "foto-" + (index + 1) + ".jpg");
    });
    return form;
  }

  function post(finding) {
    return fetch(config.urls.findings, {
      method: "POST",
      body: body(finding),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() || "", Accept: "application/json" },
    });
  }

  /* One finding: "sent", "refused" (kept with the server's reasons), or an error that stops
     this round (no network, server trouble, logged out): the finding waits for the next. */
  function sendOne(finding, retried) {
    return post(finding).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return removeFinding(finding.id).then(function () { return "sent"; });
      }
      if (response.status === 401) throw new Error("login");
      if (response.status >= 500) throw new Error("server");
      return response.json().catch(function () { return {}; }).then(function (answer) {
        var detail = answer.detail;
        if (response.status === 403 && !retried && /csrf/i.test(String(detail))) {
          // The page came from the phone's cache with an old token: fetch a fresh one.
          return loadData().then(function () { return sendOne(finding, true); });
        }
        finding.state = "refused";
        finding.errors = Array.isArray(detail) ? detail : [{ field: "", message: String(detail || response.status) }];
        return putFinding(finding).then(function () { return "refused"; });
      });
    });
  }

  function sendAll() {
    if (sending || !navigator.onLine) return render();
    sending = true;
    $("field-send-status").textContent = text.sending;
    return allFindings().then(function (rows) {
      var waiting = rows.filter(function (row) { return row.state === "waiting"; });
      return waiting.reduce(function (chain, finding) {
        return chain.then(function () { return sendOne(finding); });
      }, Promise.resolve());
    }).then(function () {
      $("field-send-status").textContent = "";
    }, function (error) {
      $("field-send-status").textContent = error && error.message === "login" ? text.loginAgain : text.sendLater;
    }).then(function () {
      sending = false;
      return render();
    });
  }

  /* --- what the page shows ------------------------------------------------------------- */

  function categoryName(code) {
    var found = data && data.categories.filter(function (c) { return c.code === code; })[0];
    return found ? found.name : code;
  }

  function render() {
    return allFindings().then(function (rows) {
      var waiting = rows.filter(function (row) { return row.state === "waiting"; }).length;
      var refused = rows.filter(function (row) { return row.state === "refused"; });
      var pending = $("field-pending");
      pending.textContent = waiting === 0 ? text.noneWaiting
        : format(waiting === 1 ? text.oneWaiting : text.manyWaiting, { n: waiting });
      pending.dataset.waiting = String(waiting);
      $("field-send").hidden = waiting === 0;
      renderRefused(refused);
    });
  }

  function renderRefused(refused) {
    var list = $("field-refused");
    list.textContent = "";
    $("field-refused-section").hidden = !refused.length;
    refused.forEach(function (finding) {
      var li = document.createElement("li");
      li.className = "field-refused-item";
      var title = document.createElement("h3");
      var when = new Date(finding.fields.captured_at).toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
      title.textContent = format(text.refusedTitle, { time: when }) + " – " + categoryName(finding.fields.category);
      var errors = document.createElement("ul");
      errors.className = "errorlist";
      finding.errors.forEach(function (error) {
        var item = document.createElement("li");
        item.textContent = error.message;
        errors.appendChild(item);
      });
      var fix = button(text.correct, function () { correct(finding); });
      var drop = button(text.remove, function () {
        if (window.confirm(text.confirmRemove)) removeFinding(finding.id).then(render);
      });
      drop.classList.add("button-secondary");
      [title, errors, fix, drop].forEach(function (node) { li.appendChild(node); });
      list.appendChild(li);
    });
  }

  function button(label, onClick) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "button field-touch";
    node.textContent = label;
    node.addEventListener("click", onClick);
    return node;
  }

  function showNetwork() {
    var node = $("field-network");
    node.dataset.state = navigator.onLine ? "online" : "offline";
    node.textContent = navigator.onLine ? text.online : text.offline;
  }

  /* --- start ------------------------------------------------------------------------------ */

  function start() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.urls.serviceWorker, { scope: config.urls.page })
        .catch(function () { /* the page still works online */ });
    }
    showNetwork();
    $("field-form").addEventListener("submit", save);
    $("field-locate").addEventListener("click", locate);
    $("field-send").addEventListener("click", sendAll);
    $("field-cancel").addEventListener("click", resetForm);
    $("field-photos").addEventListener("change", function (event) { addPhotos(event.target.files); });
    itemBoxes().forEach(function (box) {
      box.addEventListener("change", function () { toggleScore(box); });
    });
    window.addEventListener("online", function () { showNetwork(); sendAll(); });
    window.addEventListener("offline", showNetwork);
    window.setInterval(sendAll, RETRY_MS);
    loadData().then(drawMap).catch(function () { $("field-map").hidden = true; })
      .then(sendAll)
      .catch(function () { showErrors([text.noStorage]); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
