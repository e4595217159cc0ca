/* Trygg: the shift report on the phone. Written at the end of the shift, kept on the phone
   until the server has it and sent by itself whenever the network is there, exactly as the
   safety walk's findings (trygg/outbox.js): one report per shift on this phone, with an id
   made here, so sending it again stores it once. A report the server refuses (the shift was
   cancelled meanwhile, a count it will not take) stays on the phone with the server's
   reasons until it is corrected or removed. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("field-config").textContent);
  var text = JSON.parse(document.getElementById("field-text").textContent);
  var csrfToken = null;
  var observations = []; // the form's observations, each with its own id
  var position = null; // {lat, lon} of the next observation; null: the shift's area

  function $(id) { return document.getElementById(id); }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  var outbox = new Trygg.Outbox({
    db: "trygg-shift-reports",
    store: "reports",
    index: "shift",
    indexKey: "shiftId",
    scope: config.shiftId,
    url: function () { return config.urls.report; },
    request: function (report) {
      return {
        method: "POST",
        body: JSON.stringify(sendable(report.fields)),
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": Trygg.csrf(config.csrfCookie, csrfToken) || "",
          Accept: "application/json",
        },
      };
    },
    refresh: loadData,
    changed: render,
    status: $("field-send-status"),
    text: text,
  });

  /* The report as the server takes it: the category's name is only for this page's list. */
  function sendable(fields) {
    return Object.assign({}, fields, {
      observations: fields.observations.map(function (observation) {
        var copy = Object.assign({}, observation);
        delete copy.category_name;
        return copy;
      }),
    });
  }

  function loadData() {
    return fetch(config.urls.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(function (body) {
          csrfToken = body.csrfToken;
          Trygg.rememberClock(body.serverTime, response);
          return body;
        });
      });
  }

  /* --- the form ------------------------------------------------------------------------- */

  function countInputs(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function readCounts(selector, errors) {
    var counts = {};
    countInputs(selector).forEach(function (input) {
      var raw = input.value.trim();
      var value = raw === "" ? 0 : Number(raw);
      if (!Number.isInteger(value) || value < 0 || value > config.maxCount) {
        var label = input.labels[0].textContent;
        errors.push({ target: input.id, message: format(text.needCount, { n: config.maxCount, item: label }) });
      }
      counts[input.dataset.key] = value;
    });
    return counts;
  }

  function readForm() {
    var errors = [];
    var met = readCounts(".report-met", errors);
    var interventions = readCounts(".report-done", errors);
    return {
      errors: errors,
      fields: {
        met: met,
        interventions: interventions,
        note: $("report-note").value.trim(),
        observations: observations.slice(),
      },
    };
  }

  function fillForm(fields) {
    countInputs(".report-met").forEach(function (input) { input.value = String(fields.met[input.dataset.key] || 0); });
    countInputs(".report-done").forEach(function (input) { input.value = String(fields.interventions[input.dataset.key] || 0); });
    $("report-note").value = fields.note;
    observations = fields.observations.slice();
    renderObservations();
  }

  function showErrors(errors) {
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
    $("field-errors").hidden = !errors.length;
    if (errors.length) $("field-errors").focus();
  }

  /* --- observations ------------------------------------------------------------------------ */

  function locate() {
    if (!navigator.geolocation) {
      $("observation-position").textContent = text.noGps;
      return;
    }
    $("observation-position").textContent = text.locating;
    navigator.geolocation.getCurrentPosition(function (found) {
      position = { lat: found.coords.latitude, lon: found.coords.longitude };
      $("observation-position").textContent = format(text.atPosition, { n: Math.round(found.coords.accuracy) });
    }, function () {
      position = null;
      $("observation-position").textContent = text.noGps;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
  }

  function addObservation() {
    var category = $("observation-category");
    if (!category.value) {
      showErrors([{ target: "observation-category", message: text.needCategory }]);
      return;
    }
    var observation = {
      client_id: Trygg.newId(),
      category: category.value,
      category_name: category.options[category.selectedIndex].textContent,
      observed_at: Trygg.now().toISOString(),
      note: $("observation-note").value.trim(),
    };
    if (position) {
      observation.lat = position.lat;
      observation.lon = position.lon;
    }
    observations.push(observation);
    category.value = "";
    $("observation-note").value = "";
    position = null;
    $("observation-position").textContent = text.inArea;
    showErrors([]);
    renderObservations();
    $("field-saved").textContent = text.observationAdded;
  }

  function renderObservations() {
    var list = $("observation-list");
    list.textContent = "";
    observations.forEach(function (observation, index) {
      var li = document.createElement("li");
      li.className = "field-refused-item";
      var where = observation.lat === undefined ? text.inArea : format(text.atPosition, { n: "?" });
      li.textContent = observation.category_name + " (" + where + ")" + (observation.note ? ": " + observation.note : "") + " ";
      li.appendChild(button(text.remove, function () {
        observations.splice(index, 1);
        renderObservations();
      }, "button-secondary"));
      list.appendChild(li);
    });
  }

  function button(label, onClick, extra) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "button field-touch" + (extra ? " " + extra : "");
    node.textContent = label;
    node.addEventListener("click", onClick);
    return node;
  }

  /* --- saving on the phone, and what the page shows --------------------------------------- */

  function save(event) {
    event.preventDefault();
    var read = readForm();
    showErrors(read.errors);
    if (read.errors.length) return;
    outbox.all().then(function (rows) {
      // One report per shift on this phone: a correction keeps the id it was first saved with.
      var id = rows.length ? rows[0].id : Trygg.newId();
      return outbox.put({
        id: id,
        shiftId: config.shiftId,
        createdAt: rows.length ? rows[0].createdAt : Date.now(),
        state: "waiting",
        errors: [],
        fields: Object.assign({ client_id: id }, read.fields),
      });
    }).then(function () {
      $("field-form").reset();
      observations = [];
      renderObservations();
      $("field-saved").textContent = text.saved;
      return render();
    }).then(function () { return outbox.sendAll(); })
      .catch(function () { showErrors([text.noStorage]); });
  }

  function render() {
    return outbox.all().then(function (rows) {
      var waiting = rows.filter(function (row) { return row.state === "waiting"; }).length;
      var refused = rows.filter(function (row) { return row.state === "refused"; });
      var pending = $("field-pending");
      pending.textContent = waiting ? text.waiting : text.noneWaiting;
      pending.dataset.waiting = String(waiting);
      $("field-send").hidden = waiting === 0;
      renderRefused(refused[0]);
    });
  }

  function renderRefused(report) {
    $("field-refused-section").hidden = !report;
    var list = $("field-refused");
    list.textContent = "";
    if (!report) return;
    report.errors.forEach(function (error) {
      var item = document.createElement("li");
      item.textContent = error.message;
      list.appendChild(item);
    });
  }

  function correct() {
    outbox.all().then(function (rows) {
      if (!rows.length) return;
      fillForm(rows[0].fields);
      $("field-form-title").focus();
    });
  }

  function remove() {
    if (!window.confirm(text.confirmRemove)) return;
    outbox.all().then(function (rows) {
      return Promise.all(rows.map(function (row) { return outbox.remove(row.id); }));
    }).then(render);
  }

  function start() {
    Trygg.startFieldPage(config.urls.serviceWorker, config.urls.page, $("field-network"), text);
    $("field-form").addEventListener("submit", save);
    $("field-send").addEventListener("click", function () { outbox.sendAll(); });
    $("field-correct").addEventListener("click", correct);
    $("field-remove").addEventListener("click", remove);
    $("observation-add").addEventListener("click", addObservation);
    $("observation-locate").addEventListener("click", locate);
    outbox.keepSending();
    loadData().catch(function () { /* offline: the kept token is used, or fetched on a retry */ })
      .then(function () { return outbox.sendAll(); })
      .catch(function () { showErrors([text.noStorage]); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
