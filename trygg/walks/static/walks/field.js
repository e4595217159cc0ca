/* Trygg: the walk in the field. Findings are kept on the phone (IndexedDB) until the server
   has them, and sent by themselves whenever the network is there: on load, when the phone
   comes back online, and every half minute. Each finding has an id made here, so sending it
   again never stores it twice. A finding the server refuses stays on the phone with the
   server's reasons, to be corrected; it never holds up the others. The keeping and sending
   is shared with the other field pages (trygg/outbox.js); the map, the checklist, the photos
   and the list are this page's. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("field-config").textContent);
  var text = JSON.parse(document.getElementById("field-text").textContent);
  var PHOTO_SIDE = 1600;
  var PHOTO_QUALITY = 0.8;

  var data = null; // the walk's data: route, stops, items, categories, boundaries
  var csrfToken = null;
  var editingId = null; // the refused finding being corrected
  var photos = []; // the form's photos: Blobs already made smaller
  var position = null; // {lat, lon, how}
  var map = null;
  var positionMarker = null;

  function $(id) { return document.getElementById(id); }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  /* --- the findings kept on the device (trygg/outbox.js) ---------------------------------- */

  var outbox = new Trygg.Outbox({
    db: "trygg-field",
    store: "findings",
    index: "walk",
    indexKey: "walkId",
    scope: config.walkId,
    url: function () { return config.urls.findings; },
    request: function (finding) {
      return { method: "POST", body: body(finding), headers: { "X-CSRFToken": csrf() || "", Accept: "application/json" } };
    },
    refresh: function () { return loadData(); },
    changed: function () { return render(); },
    status: $("field-send-status"),
    text: text,
  });

  function allFindings() { return outbox.all(); }
  function putFinding(finding) { return outbox.put(finding); }
  function removeFinding(id) { return outbox.remove(id); }
  function sendAll() { return outbox.sendAll(); }

  /* --- the walk's data and the clock -------------------------------------------------------- */

  function loadData() {
    return fetch(config.urls.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(function (body) {
          data = body;
          csrfToken = body.csrfToken;
          Trygg.rememberClock(body.serverTime, response);
          return body;
        });
      });
  }

  function now() { return Trygg.now(); }

  function csrf() { return Trygg.csrf(config.csrfCookie, csrfToken); }

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
    var id = editingId || Trygg.newId();
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

  /* --- start ------------------------------------------------------------------------------ */

  function start() {
    Trygg.startFieldPage(config.urls.serviceWorker, config.urls.page, $("field-network"), text);
    $("field-form").addEventListener("submit", save);
    $("field-locate").addEventListener("click", locate);
    $("field-send").addEventListener("click", sendAll);
    $("field-cancel").addEventListener("click", resetForm);
    $("field-photos").addEventListener("change", function (event) { addPhotos(event.target.files); });
    itemBoxes().forEach(function (box) {
      box.addEventListener("change", function () { toggleScore(box); });
    });
    outbox.keepSending();
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
