/* 好差评 — the window evaluator screen (templates/devices/evaluator.html).

   A client of the signed device API, like evaluator firmware (devices/auth.py): every request carries
   X-Device-Id, X-Timestamp, X-Nonce and X-Signature = hex HMAC-SHA256(secret, METHOD \n PATH \n
   timestamp \n nonce \n hex sha256(body)). SHA-256 is computed here in plain script because
   crypto.subtle exists only on HTTPS pages and a hall intranet may serve plain HTTP.

   The serial and secret stay in this pad's localStorage. Ratings are queued there before they are
   sent and re-sent with the same client_id until the server answers, so a flaky network never loses
   one and never counts one twice. ES5 syntax for old pads; no inline code. */
(function () {
  "use strict";

  var STORE = "hcp-evaluator", QUEUE = "hcp-evaluator-queue";
  var HEARTBEAT_MS = 15000, PENDING_MS = 4000, THANKS_MS = 3000;

  // ---- SHA-256 and HMAC (FIPS 180-4, RFC 2104) ------------------------------------------------
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  function sha256(bytes) {
    var length = bytes.length, padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var bits = length * 8, view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(padded.length - 4, bits >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var i = 0; i < 16; i++) { w[i] = view.getUint32(offset + i * 4); }
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var out = new Uint8Array(32), outView = new DataView(out.buffer);
    for (i = 0; i < 8; i++) { outView.setUint32(i * 4, h[i]); }
    return out;
  }

  function hmacSha256(key, message) {
    if (key.length > 64) { key = sha256(key); }
    var inner = new Uint8Array(64 + message.length), outer = new Uint8Array(64 + 32);
    for (var i = 0; i < 64; i++) {
      var byte = i < key.length ? key[i] : 0;
      inner[i] = byte ^ 0x36;
      outer[i] = byte ^ 0x5c;
    }
    inner.set(message, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }

  function utf8(text) { return new TextEncoder().encode(text); }

  function randomHex(count) {
    var bytes = new Uint8Array(count);
    window.crypto.getRandomValues(bytes);
    return hex(bytes);
  }

  // Exposed for the browser test, which checks them against Python's hashlib and hmac.
  window.hcpEvaluatorCrypto = {
    sha256: function (text) { return hex(sha256(utf8(text))); },
    hmac: function (key, text) { return hex(hmacSha256(utf8(key), utf8(text))); }
  };

  // ---- the signed device API -------------------------------------------------------------------
  var api = document.body.getAttribute("data-api");
  var config = null;
  var clockOffset = 0; // server time minus this pad's clock, in ms (set from the heartbeat)

  function serverNow() { return Date.now() + clockOffset; }

  function call(method, name, body, retried) {
    var path = api + "/" + name;
    var text = body == null ? "" : JSON.stringify(body);
    var timestamp = String(Math.floor(serverNow() / 1000));
    var nonce = randomHex(16);
    var message = [method, path, timestamp, nonce, hex(sha256(utf8(text)))].join("\n");
    var headers = {
      "X-Device-Id": config.serial,
      "X-Timestamp": timestamp,
      "X-Nonce": nonce,
      "X-Signature": hex(hmacSha256(utf8(config.secret), utf8(message)))
    };
    if (method !== "GET") { headers["Content-Type"] = "application/json"; }
    var sent = Date.now();
    return fetch(path, {
      method: method, headers: headers, body: method === "GET" ? undefined : text, credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      return response.json().then(function (data) {
        var code = data && data.errors && data.errors[0] && data.errors[0].code;
        if (response.status === 401 && code === "stale_timestamp" && !retried) {
          // The pad's clock is off by more than five minutes: take the server's Date and try again.
          var date = Date.parse(response.headers.get("Date") || "");
          if (!isNaN(date)) {
            clockOffset = date + 500 - (sent + Date.now()) / 2;
            return call(method, name, body, true);
          }
        }
        return { status: response.status, data: data };
      });
    });
  }

  function firstError(result) {
    var errors = result.data && result.data.errors;
    return errors && errors.length ? errors[0].message : String(result.status);
  }

  // ---- the screen ------------------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function text(key) {
    var node = $("ev-text").content.querySelector('[data-key="' + key + '"]');
    return node ? node.textContent : key;
  }

  var tags = JSON.parse($("ev-tag-data").textContent);
  var state = { staff: [], pending: null, grade: null, chosen: {} };
  var alertTimer = null;

  function showAlert(message, good) {
    var box = $("ev-alert");
    box.textContent = message;
    box.className = good ? "ev-alert ev-alert-good" : "ev-alert";
    box.hidden = false;
    clearTimeout(alertTimer);
    alertTimer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  function renderStaff(list) {
    state.staff = list;
    var ul = $("ev-staff-list");
    ul.innerHTML = "";
    list.forEach(function (person) {
      var li = document.createElement("li");
      li.className = "ev-person";
      var name = document.createElement("p");
      name.className = "ev-person-name";
      name.textContent = person.name;
      var details = document.createElement("p");
      details.className = "ev-person-details";
      details.textContent = text("staff_no") + " " + person.staff_no + " · " + person.department;
      li.appendChild(name);
      li.appendChild(details);
      ul.appendChild(li);
    });
    $("ev-nobody").hidden = list.length > 0;
    renderHeading();
  }

  function renderHeading() {
    var title = $("ev-rate-title");
    var mode = state.pending ? "case" : (state.staff.length ? "staff" : "window");
    title.textContent = title.getAttribute("data-" + mode);
  }

  function renderPending(pending) {
    var before = state.pending && state.pending.serial_no;
    state.pending = pending;
    $("ev-case").hidden = !pending;
    if (pending) {
      $("ev-case-matter").textContent = pending.matter_name;
      $("ev-case-serial").textContent = pending.serial_no;
      $("ev-case-staff").textContent = pending.staff_name || "";
    }
    if ((pending && pending.serial_no) !== before) { resetRating(); }
    renderHeading();
  }

  function target() { return state.pending ? "matter" : "staff"; }

  function renderReason() {
    var bad = state.grade !== null && state.grade <= 2;
    $("ev-reason").hidden = !bad;
    var box = $("ev-tags");
    box.innerHTML = "";
    if (!bad) { return; }
    tags.forEach(function (tag) {
      if (tag.grade !== state.grade || tag.target !== target()) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ev-tag";
      button.textContent = tag.text;
      button.setAttribute("aria-pressed", state.chosen[tag.code] ? "true" : "false");
      button.addEventListener("click", function () {
        state.chosen[tag.code] = !state.chosen[tag.code];
        button.setAttribute("aria-pressed", state.chosen[tag.code] ? "true" : "false");
      });
      box.appendChild(button);
    });
  }

  function resetRating() {
    state.grade = null;
    state.chosen = {};
    $("ev-comment").value = "";
    each(document.querySelectorAll(".ev-grade"), function (button) { button.setAttribute("aria-pressed", "false"); });
    $("ev-submit").disabled = true;
    renderReason();
  }

  function each(list, fn) { for (var i = 0; i < list.length; i++) { fn(list[i]); } }

  function heartbeat() {
    var sent = Date.now();
    return call("POST", "heartbeat", null).then(function (result) {
      if (result.status !== 200) { showAlert(firstError(result)); return; }
      var server = Date.parse(result.data.server_time);
      if (!isNaN(server)) { clockOffset = server - (sent + Date.now()) / 2; tick(); }
      $("ev-window").textContent = result.data.window ? result.data.window.name : text("no_window");
      renderStaff(result.data.staff_on_duty);
    }, function () { showAlert(text("offline")); });
  }

  function pending() {
    return call("GET", "pending", null).then(function (result) {
      if (result.status === 200) { renderPending(result.data); }
    }, function () { /* offline: keep what is shown */ });
  }

  // ---- ratings: queued first, sent until answered ------------------------------------------------
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function saveQueue(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }

  function upload(item) {
    return call("POST", "evaluations", item).then(function (result) {
      // Answered for good (recorded, or refused by the rules): off the queue. A signature problem
      // (401) or a server error keeps it for the next try, with the same client_id.
      if (result.status !== 401 && result.status < 500) {
        saveQueue(queue().filter(function (other) { return other.client_id !== item.client_id; }));
      }
      return result;
    });
  }

  function flush() {
    var items = queue();
    var chain = Promise.resolve();
    items.forEach(function (item) { chain = chain.then(function () { return upload(item); }); });
    return chain.catch(function () { /* still offline */ });
  }

  function submit() {
    var grade = state.grade;
    var chosen = Object.keys(state.chosen).filter(function (code) { return state.chosen[code]; });
    var comment = $("ev-comment").value.trim();
    if (grade <= 2 && !chosen.length && !comment) { showAlert(text("reason")); return; }
    var item = {
      client_id: "ev-" + randomHex(16), grade: grade, tags: chosen, comment: comment,
      rated_at: new Date(serverNow()).toISOString()
    };
    if (state.pending) { item.serial_no = state.pending.serial_no; item.target = "matter"; }
    saveQueue(queue().concat([item]));
    $("ev-submit").disabled = true;
    upload(item).then(function (result) {
      if (result.status === 200 || result.status === 201) { thanks(); pending(); return; }
      showAlert(firstError(result));
      $("ev-submit").disabled = false;
    }, function () { showAlert(text("offline")); thanks(); });
  }

  function thanks() {
    $("ev-rate").hidden = true;
    $("ev-thanks").hidden = false;
    resetRating();
    setTimeout(function () { $("ev-thanks").hidden = true; $("ev-rate").hidden = false; }, THANKS_MS);
  }

  function duty(event) {
    event.preventDefault();
    var action = (event.submitter && event.submitter.getAttribute("data-action")) || "sign-in";
    var staffNo = $("ev-staff-no").value.trim();
    if (!staffNo) { return; }
    call("POST", "duty/" + action, { staff_no: staffNo }).then(function (result) {
      if (result.status !== 200) { showAlert(firstError(result)); return; }
      renderStaff(result.data.staff_on_duty);
      $("ev-staff-no").value = "";
      $("ev-duty").open = false;
      showAlert(text(action === "sign-in" ? "signed_in" : "signed_out"), true);
    }, function () { showAlert(text("offline")); });
  }

  function tick() {
    var now = new Date(serverNow());
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    $("ev-clock").textContent = pad(now.getHours()) + ":" + pad(now.getMinutes());
  }

  function start() {
    $("ev-setup").hidden = true;
    $("ev-screen").hidden = false;
    each(document.querySelectorAll(".ev-grade"), function (button) {
      button.addEventListener("click", function () {
        state.grade = parseInt(button.getAttribute("data-grade"), 10);
        each(document.querySelectorAll(".ev-grade"), function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        $("ev-submit").disabled = false;
        renderReason();
      });
    });
    $("ev-submit").addEventListener("click", submit);
    $("ev-duty-form").addEventListener("submit", duty);
    heartbeat().then(pending).then(flush);
    setInterval(function () { heartbeat().then(flush); }, HEARTBEAT_MS);
    setInterval(pending, PENDING_MS);
    tick();
    setInterval(tick, 10000);
  }

  function setup() {
    $("ev-setup").hidden = false;
    $("ev-window").textContent = "";
    $("ev-setup-form").addEventListener("submit", function (event) {
      event.preventDefault();
      config = { serial: $("ev-serial").value.trim(), secret: $("ev-secret").value.trim() };
      localStorage.setItem(STORE, JSON.stringify(config));
      start();
    });
  }

  try { config = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { config = null; }
  if (config && config.serial && config.secret) { start(); } else { setup(); }
})();
